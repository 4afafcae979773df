"""Reports fed hostile findings: file names and messages a pull request controls.

Each renderer's output is parsed or scanned (not compared with a stored copy): Markdown keeps
every hostile string literal, SARIF validates and its columns are the UTF-16 columns computed
here from the source bytes, annotations cannot start a second workflow command, JUnit carries
the checks' real time.
"""

from __future__ import annotations

import html
import importlib
import importlib.resources
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from checker.model import CheckResult, Diagnostic, status_of
from crossvet import outputs
from crossvet.outputs import write_all
from matrix.errors import UsageError
from reports import annotate, comment, escape, junit, markdown, sarif, summary
from reports.results import Results, TargetResult
from tests.unit.reports.test_sarif import official_schema

HOSTILE_FILES = [
    "evil\n::warning::pwned.go",
    "100%.go",
    "a,b:c.go",
    "pipe|cell.go",
    "tick`x``y.go",
    "<script>alert(1)</script>.go",
    "日本語/ファイル.go",
    "a b%.go",
    " spaced .go",
]
HOSTILE_MESSAGES = [
    "**bold** and [x](y) and ![i](j)",
    "::error::boom <script>alert(1)</script> &lt;b&gt;",
    "cell | split `code` ~~strike~~ _u_ \\*",
    "line one\n::warning file=x.go::injected\r\n::endgroup::",
]
# Source lines (bytes, as Go reads them) and Go's 1-based byte column on each.
SOURCE = {
    "日本語/ファイル.go": ('var s = "日本語"; var X int = 1 << 40'.encode(), 34),
    "a b%.go": ('x := "🚀é"; y := 1 << 40'.encode(), len('x := "🚀é"; y := '.encode()) + 1),
    "100%.go": (b"\tconst big = 1 << 40", 14),
    "a,b:c.go": ("é = 1".encode(), 2),  # inside the two bytes of é: not a character boundary
}


def _diags(target: str) -> list[Diagnostic]:
    out = []
    for i, file in enumerate(HOSTILE_FILES):
        col = SOURCE[file][1] if file in SOURCE else 3
        out.append(Diagnostic(target=target, check="build", file=file, line=i + 1, col=col,
                              message=HOSTILE_MESSAGES[i % len(HOSTILE_MESSAGES)],
                              category=("compile", "overflow", "vet")[i % 3],
                              analyzer="print`f|" if i % 3 == 2 else "",
                              severity="warning" if i == 4 else "error",
                              package="example.com/m"))
    return out


def _results(duration: float = 2.0) -> Results:
    targets = []
    for tid in ("linux/386", "linux/arm", "weird/a|b`c"):
        mine = tuple(_diags(tid)) if tid != "linux/arm" else ()
        checks: tuple[CheckResult, ...] = (
            CheckResult(target=tid, check="vet", status=status_of(()), duration=0.0,
                        packages=("example.com/m", "example.com/m/x")),
            CheckResult(target=tid, check="build", status=status_of(mine), diagnostics=mine,
                        duration=duration, packages=("example.com/m", "example.com/m/x")),
        )
        if tid == "linux/arm":
            err = "go crashed\n::error::<script>x</script>"
            checks = (*checks, CheckResult(target=tid, check="typecheck", status="error",
                                           duration=1.0, error=err))
        goos, goarch = tid.split("/")
        targets.append(TargetResult(id=tid, goos=goos, goarch=goarch, checks=checks))
    return Results(targets=tuple(targets), checks=("vet", "build", "typecheck"),
                   module="example.com/m")


# ---- a small CommonMark inline scanner --------------------------------------------------------

_PUNCT = r"""!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"""


def scan(line: str) -> tuple[str, list[str], list[str]]:
    """(text outside code spans with backslash escapes removed, code span contents as rendered,
    unmatched backtick runs)."""
    outside, spans, unmatched = [], [], []
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "\\" and i + 1 < len(line) and line[i + 1] in _PUNCT:
            outside.append("\x00")  # an escaped character: literal, never syntax
            i += 2
            continue
        if ch == "`":
            run = re.match(r"`+", line[i:])
            assert run
            n = len(run.group())
            close = re.compile(rf"(?<!`)`{{{n}}}(?!`)")
            m = close.search(line, i + n)
            if not m:
                unmatched.append(run.group())
                outside.append(run.group())
                i += n
                continue
            content = line[i + n:m.start()]
            if len(content) > 1 and content[0] == " " and content[-1] == " " and content.strip():
                content = content[1:-1]
            spans.append(content)
            i = m.end()
            continue
        outside.append(ch)
        i += 1
    return "".join(outside), spans, unmatched


def unescape_text(s: str) -> str:
    return html.unescape(re.sub(rf"\\([{re.escape(_PUNCT)}])", r"\1", s))


_ALLOWED_TAGS = re.compile(r"</?(details|summary)>|<!-- crossvet-(comment|data) .*?-->")


def assert_literal_markdown(text: str, *, findings: int, extra: tuple[str, ...] = ()) -> None:
    """Every hostile string is literal: no raw tag, no open code span, no emphasis, link or
    table break from the checked code, and each finding's location and message round-trip."""
    table_width = None
    seen_lines = 0
    for line in text.split("\n"):
        assert not line.lstrip().startswith("::"), line  # no workflow command, no stray text
        if re.fullmatch(r"<!-- crossvet-(comment|data) [^\n]*?-->", line):
            assert line.count("-->") == 1  # the comment's hidden data: one HTML comment
            continue
        outside, spans, unmatched = scan(line)
        assert unmatched == [], line
        assert "<" not in _ALLOWED_TAGS.sub("", outside), line
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
            table_width = table_width or len(cells)
            assert len(cells) == table_width, line
        m = re.fullmatch(r"(?:- ✅ ~~|- )\*\*(.*?)\*\*(?: at (.*?))?: (.*?)(?:~~)?", line)
        if line.startswith(("- **", "- ✅ ~~**")) and m:
            seen_lines += 1
            title, _loc, message = m.groups()
            for part in (title, message):
                bare, inner, _ = scan(part)
                assert inner == [] and not re.search(r"[*_\[\]|~<>`]", bare), part
            assert unescape_text(message) in {x.replace("\r\n", " ").replace("\n", " ")
                                              for x in (*HOSTILE_MESSAGES, *extra)}
            (location,) = spans[:1] if spans else ("",)
            files = (*HOSTILE_FILES, *extra)
            assert location.rsplit(":", 2)[0].replace("\\n", "\n") in files, location
    assert seen_lines == findings


def test_escape_code_span_survives_any_backtick_run() -> None:
    for value in ["`", "``", "a`b", "`a`", "a``b```c", " x ", "x|y", "", "a\nb"]:
        rendered = escape.code(value)
        outside, spans, unmatched = scan(rendered)
        assert unmatched == [] and outside == "", rendered
        assert spans == [value.replace("\n", "\\n") or " "], rendered


def test_markdown_report_keeps_hostile_text_literal() -> None:
    res = _results()
    text = markdown.render(res)
    assert_literal_markdown(text, findings=len(res.findings))
    # the run error is listed, escaped, on one line
    assert any("go crashed" in x and "&lt;script&gt;" in x for x in text.split("\n"))


def test_step_summary_and_comment_keep_hostile_text_literal() -> None:
    res = _results()
    ann = annotate.annotate(res, limit=1)
    assert_literal_markdown(summary.step_summary(res, ann), findings=len(res.findings))
    before = [comment.Seen(id="gone`1", title="**t**", location="x\n::warning::y.go:1:2",
                           message="[x](y) <script>"), comment.Seen(id="gone``2")]
    body = comment.render(res, before=before)
    assert len(body) <= summary.COMMENT_LIMIT
    assert_literal_markdown(body, findings=len(res.findings) + 1,
                            extra=(before[0].message, "x\n::warning::y.go"))
    assert "2 fixed" in body


def _note_count(text: str) -> int:
    m = re.search(r"(\d+) findings? not shown", text)
    assert m, text[-500:]
    return int(m.group(1))


def test_markdown_file_is_capped_at_one_mib_with_an_honest_note(tmp_path: Path) -> None:
    diags = tuple(Diagnostic(target="linux/386", check="build", file=f"f{i}.go", line=i + 1,
                             col=1, message=f"problem {i} " + "z" * 400, category="compile")
                  for i in range(3000))
    t = TargetResult(id="linux/386", goos="linux", goarch="386", checks=(
        CheckResult(target="linux/386", check="build", status="fail", diagnostics=diags),))
    res = Results(targets=(t,), checks=("build",))
    assert len(markdown.render(res).encode()) > markdown.FILE_LIMIT  # the cap has work to do
    md, js = tmp_path / "r.md", tmp_path / "r.json"
    write_all(res, [("markdown", str(md)), ("json", str(js))])
    data = md.read_bytes()
    assert len(data) <= markdown.FILE_LIMIT
    text = data.decode()
    shown = sum(1 for x in text.split("\n") if x.startswith("- **compile**"))
    assert 0 < shown < len(res.findings)
    assert _note_count(text) == len(res.findings) - shown
    assert str(js) in text and "the full list is in the results JSON" in text
    assert json.loads(js.read_text())["summary"]["findings"] == len(res.findings)
    # small reports are not touched
    few = CheckResult(target="linux/386", check="build", status="fail", diagnostics=diags[:3])
    small = Results(targets=(replace(t, checks=(few,)),), checks=("build",))
    assert len(small.findings) == 3
    write_all(small, [("markdown", str(md))])
    assert "not shown" not in md.read_text() and md.read_text() == markdown.render(small)


def test_annotation_notes_say_listed_below_only_when_they_are() -> None:
    diags = tuple(Diagnostic(target="linux/386", check="build", file="a.go", line=i + 1, col=1,
                             message=f"p{i} " + "q" * 200, category="compile")
                  for i in range(200))
    t = TargetResult(id="linux/386", goos="linux", goarch="386", checks=(
        CheckResult(target="linux/386", check="build", status="fail", diagnostics=diags),))
    res = Results(targets=(t,), checks=("build",))
    ann = annotate.annotate(res)
    assert ann.not_shown_total == 190
    full = summary.step_summary_report(res, ann)
    assert full.complete and "All findings are listed below." in full.text
    assert "lists every finding" in summary.annotation_notice(ann, summary_complete=True)
    cut = summary.step_summary_report(res, ann, limit=20_000)
    assert not cut.complete and len(cut.text.encode()) <= 20_000
    assert "listed below" not in cut.text and "the full list is in the results JSON" in cut.text
    shown = sum(1 for x in cut.text.split("\n") if x.startswith("- **compile**"))
    assert _note_count(cut.text) == 200 - shown
    notice = summary.annotation_notice(ann, summary_complete=False)
    assert "job summary" not in notice and "results JSON" in notice
    assert notice.startswith("::notice ") and "\n" not in notice


# ---- SARIF ------------------------------------------------------------------------------------

def utf16_col(line: bytes, byte_col: int) -> int | None:
    """Independent of the renderer: walk the characters, adding up their UTF-8 bytes until
    the byte column is reached, counting a character beyond U+FFFF as two code units."""
    text = line.decode("utf-8")
    offset, units = 0, 0
    for ch in text:
        if offset == byte_col - 1:
            return units + 1
        if offset > byte_col - 1:
            return None
        offset += len(ch.encode("utf-8"))
        units += 2 if ord(ch) > 0xFFFF else 1
    return units + 1 if offset == byte_col - 1 else None


def _schema_validator() -> Any:
    jsonschema: Any = importlib.import_module("jsonschema")
    return jsonschema.Draft4Validator(official_schema())


def _reader(file: str, line: int) -> bytes | None:
    return SOURCE[file][0] if file in SOURCE else None


def test_sarif_validates_with_utf16_columns_and_encoded_uris() -> None:
    res = _results()
    log = sarif.render(res, prefix="svc dir", source_line=_reader)
    assert [e.message for e in _schema_validator().iter_errors(log)] == []
    run = log["runs"][0]
    assert run["columnKind"] == "utf16CodeUnits"
    by_file = {f.file: f for f in res.findings}
    seen = set()
    for result in run["results"]:
        loc = result["locations"][0]["physicalLocation"]
        uri = loc["artifactLocation"]["uri"]
        assert re.fullmatch(r"(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})+", uri), uri
        path = unquote(uri)
        assert path.startswith("svc dir/")
        file = path.removeprefix("svc dir/")
        f = by_file[file]
        seen.add(file)
        assert result["partialFingerprints"][sarif.FINGERPRINT_KEY] == f.fingerprint
        expected = utf16_col(*SOURCE[file]) if file in SOURCE else None
        assert loc["region"].get("startColumn") == expected, file
    assert seen == set(HOSTILE_FILES)
    # the brief's example: byte column 34 is code unit column 28
    assert utf16_col(*SOURCE["日本語/ファイル.go"]) == 28
    # the astral character counts twice: code points would give one less
    line, col = SOURCE["a b%.go"]
    assert utf16_col(line, col) == len(line[:col - 1].decode()) + 2
    # without a source reader: lines only, same fingerprints
    bare = sarif.render(res, prefix="svc dir")
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in bare["runs"][0]
               ["results"]]
    assert all("startColumn" not in r for r in regions)
    assert [r["partialFingerprints"] for r in bare["runs"][0]["results"]] == [
        r["partialFingerprints"] for r in run["results"]]


def test_write_all_reads_source_lines_inside_the_module_only(tmp_path: Path) -> None:
    mod = tmp_path / "mod"
    (mod / "日本語").mkdir(parents=True)
    line, col = SOURCE["日本語/ファイル.go"]
    (mod / "日本語" / "ファイル.go").write_bytes(b"package p\n" + line + b"\n")
    (tmp_path / "outside.go").write_bytes(line + b"\n")
    diags = (Diagnostic(target="linux/386", check="build", file="日本語/ファイル.go", line=2,
                        col=col, message="m", category="overflow"),
             Diagnostic(target="linux/386", check="build", file="../outside.go", line=1,
                        col=col, message="m", category="overflow"),
             Diagnostic(target="linux/386", check="build", file="missing.go", line=1,
                        col=col, message="m", category="overflow"))
    t = TargetResult(id="linux/386", goos="linux", goarch="386", checks=(
        CheckResult(target="linux/386", check="build", status="fail", diagnostics=diags),))
    out = tmp_path / "r.sarif"
    write_all(Results(targets=(t,), checks=("build",)), [("sarif", str(out))],
              module_dir=str(mod))
    regions = {unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]):
               r["locations"][0]["physicalLocation"]["region"]
               for r in json.loads(out.read_text())["runs"][0]["results"]}
    assert regions["日本語/ファイル.go"] == {"startLine": 2, "startColumn": utf16_col(line, col)}
    assert regions["missing.go"] == {"startLine": 1}
    assert "startColumn" not in regions["go.mod"]  # ../outside.go: outside the module


# ---- annotations ------------------------------------------------------------------------------

def _parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """As the runner reads a workflow command: `::name k=v,k=v::message`, then unescaped."""
    m = re.fullmatch(r"::([a-z-]+)(?: ([^:]*))?::(.*)", line)
    assert m, line
    name, props, message = m.groups()

    def unescape(s: str) -> str:
        for code, ch in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
            s = s.replace(code, ch)
        return s

    pairs = dict(p.split("=", 1) for p in props.split(",")) if props else {}
    return name, {k: unescape(v) for k, v in pairs.items()}, unescape(message)


def test_annotations_are_one_line_each_and_round_trip() -> None:
    res = _results()
    ann = annotate.annotate(res, prefix="p")
    output = "\n".join(ann.lines)
    for line in output.split("\n"):
        assert line.startswith(("::error ", "::warning ")), line
        assert "\r" not in line
    parsed = [_parse_command(x) for x in ann.lines]
    files = {props.get("file") for _, props, _ in parsed}
    assert {f"p/{f}" for f in HOSTILE_FILES} <= files
    messages = [m for _, _, m in parsed]
    for msg in HOSTILE_MESSAGES:
        assert any(m.startswith(msg + "\n") for m in messages), msg
    assert any("go crashed\n::error::<script>" in m for m in messages)


# ---- JUnit ------------------------------------------------------------------------------------

def test_junit_times_come_from_the_check_durations() -> None:
    res = _results(duration=3.0)
    root = ET.fromstring(junit.render(res).encode())
    for suite, target in zip(root.iter("testsuite"), res.targets, strict=True):
        assert suite.get("name") == target.id
        cases = list(suite.iter("testcase"))
        total = sum(float(c.get("time", "0")) for c in cases)
        assert total == pytest.approx(sum(c.duration for c in target.checks), abs=1e-3)
        for check in target.checks:
            mine = [c for c in cases if c.get("classname") == f"{target.id}.{check.check}"]
            assert mine, check.check
            for case in mine:
                assert (float(case.get("time", "0")) > 0) == (check.duration > 0), case.attrib
        failures = [f for c in cases for f in c.iter("failure")]
        errors = sum(1 for d in target.diagnostics if d.severity == "error")
        assert len(failures) == errors
        for f in failures:
            assert f.get("message")
    files = {c.get("file") for c in root.iter("testcase") if c.get("file")}
    # XML normalizes a line break in an attribute to a space
    assert files and files <= {f.replace("\n", " ") for f in HOSTILE_FILES}


@pytest.mark.parametrize(("line", "col"), [(-5, 3), (0, -1), (2**31, 4), (3, 10**30), (-1, -1)])
def test_positions_out_of_range_never_reach_sarif(line: int, col: int, tmp_path: Path) -> None:
    """A results file with such a position is refused (test_results.py); one built in-process
    (a parser's bug) still gives valid SARIF: the region falls back to line 1, no column."""
    diag = Diagnostic(target="linux/386", check="build", file="a.go", line=line, col=col,
                      message="m", category="compile", package="example.com/m")
    res = Results(targets=(TargetResult(id="linux/386", goos="linux", goarch="386", checks=(
        CheckResult(target="linux/386", check="build", status="fail", diagnostics=(diag,)),)),),
        checks=("build",))
    log = sarif.render(res, source_line=lambda f, n: b"x" * 100)
    assert [e.message for e in _schema_validator().iter_errors(log)] == []
    (result,) = log["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert 1 <= region["startLine"] <= 2**31 - 1
    assert region == ({"startLine": line} if 1 <= line < 2**31 else {"startLine": 1})
    path = tmp_path / "r.json"
    write_all(res, [("json", str(path))])
    with pytest.raises(UsageError, match=r"expected an integer from 0 to 2147483647"):
        outputs.load(str(path))
