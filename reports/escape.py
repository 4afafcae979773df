"""Escaping for untrusted text (file names, compiler messages) in the Markdown reports.

A pull request controls its file names and, through its code, the compiler's messages; the
Markdown file, the step summary and the pull-request comment print both. Every Markdown renderer
goes through these two functions, so the rules live in one place:

- `code(text)`: a CommonMark code span that survives backticks in the text (the fence is one
  backtick longer than the longest run inside, padded with spaces), with line breaks shown as
  `\\n` (a raw newline would end the list item or table row it sits in) and, in a table cell,
  `|` escaped (GFM splits table cells on `|` even inside code spans).
- `text(text)`: plain text with every character that could start Markdown or HTML made literal:
  emphasis, links, images, code, tables, strike-through, HTML tags and entities; line breaks
  become spaces.

What they do not stop: GitHub still links bare URLs and turns `@name` into a mention and
`:shortcode:` into an emoji in the rendered text (those act on the text after Markdown is
parsed; a backslash does not reach them).
"""

from __future__ import annotations

import re

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BACKTICKS = re.compile(r"`+")
# ASCII punctuation that starts or ends Markdown inline syntax (CommonMark lets a backslash escape
# any ASCII punctuation); `&`, `<` and `>` become entities so no tag or entity survives.
_SPECIAL = re.compile(r"([\\`*_\[\]|~!#:])")


def code(text: str, *, table: bool = False) -> str:
    """`text` as one inline code span, shown verbatim whatever it contains."""
    text = _LINE_BREAK.sub(r"\\n", text)
    if table:
        text = text.replace("|", "\\|")
    longest = max((len(m.group()) for m in _BACKTICKS.finditer(text)), default=0)
    fence = "`" * (longest + 1)
    # A span that starts or ends with a backtick needs a space between it and the fence; a span
    # that starts and ends with a space loses one on each side when rendered, so pad it too.
    pad = " " if text and (text[0] in "` " or text[-1] in "` ") else ""
    return f"{fence}{pad}{text}{pad}{fence}" if text else "` `"


def text(value: str) -> str:
    """`value` as literal inline text: no emphasis, link, tag, entity or table cell break."""
    value = _LINE_BREAK.sub(" ", value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", value)

