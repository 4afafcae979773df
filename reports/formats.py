"""The report formats, one row each: the one table the command line (`--NAME FILE`), the writers
(crossvet/outputs.py), the output-path checks and the GitHub Action read. Pure: results in,
text out.

A new report format is a renderer in reports/ and one row here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from reports import escape
from reports.baseline import SourceLine
from reports.results import Results, to_text


@dataclass(frozen=True, kw_only=True)
class Context:
    """What a renderer may need besides the results."""

    json_path: str = ""  # where this run's results JSON goes ("" = not written)
    repo_prefix: str = ""  # the module's directory in the repository (SARIF, Code Quality)
    source_line: SourceLine | None = None  # the module's source lines (SARIF's columns)


@dataclass(frozen=True, kw_only=True)
class Format:
    name: str  # the flag is --NAME FILE
    help: str
    render: Callable[[Results, Context], str]
    action_input: str = ""  # the GitHub Action input (action.yml) that names this file, if any


def _full_list(json_path: str) -> str:
    if json_path:
        return f"the results JSON ({escape.code(json_path)})"
    return "the results JSON (write it with `--json FILE`)"


# Each renderer imports its module when a report of its kind is written: junit_xml, tabulate
# (which imports importlib.metadata) and the SARIF tables are not for every run
# (tests/unit/test_startup.py).

def _junit(res: Results, _: Context) -> str:
    from reports import junit  # noqa: PLC0415 (deliberately lazy)
    return junit.render(res)


def _markdown(res: Results, ctx: Context) -> str:
    from reports import markdown  # noqa: PLC0415 (deliberately lazy)
    return markdown.build(res, limit=markdown.FILE_LIMIT, where=_full_list(ctx.json_path)).text


def _sarif(res: Results, ctx: Context) -> str:
    from reports import sarif  # noqa: PLC0415 (deliberately lazy)
    log = sarif.render(res, prefix=ctx.repo_prefix, source_line=ctx.source_line)
    return json.dumps(log, indent=2) + "\n"


def _codequality(res: Results, ctx: Context) -> str:
    from reports import codequality  # noqa: PLC0415 (deliberately lazy)
    return codequality.render(res, prefix=ctx.repo_prefix)


FORMATS: tuple[Format, ...] = (
    Format(name="json", help="write the results JSON (schema 2; `crossvet report` rebuilds "
           "every other report from it)", render=lambda res, _: to_text(res)),
    Format(name="junit", help="write JUnit XML (a testsuite per target)",
           render=_junit),
    Format(name="markdown", help="write Markdown (status table, findings by category)",
           render=_markdown),
    Format(name="sarif", help="write SARIF 2.1.0 for GitHub code scanning", render=_sarif,
           action_input="sarif"),
    Format(name="codequality", help="write GitLab Code Quality JSON (a merge request's "
           "code quality widget)", render=_codequality),
)
BY_NAME = {f.name: f for f in FORMATS}
