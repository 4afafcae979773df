"""A module a hostile pull request could send, checked for real in GitHub Actions mode.

Its file names hold a newline followed by `::warning::`, `%`, `,`, `:`, `|`, a backtick and
non-ASCII text; its compile errors quote a string holding `**`, `[x](y)`, `::error::` and
`<script>`. The log is replayed the way GitHub's runner reads it (commands stopped by
`::stop-commands::TOKEN` until `::TOKEN::`): the only commands it runs are crossvet's own. The
Markdown report, step summary, comment body and SARIF are parsed and must keep every hostile
string literal, with SARIF's columns in UTF-16 code units of the real source lines.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from crossvet.outputs import load
from reports import annotate, comment, sarif
from tests.conftest import ROOT
from tests.unit.reports.test_hostile import (
    _schema_validator,
    assert_literal_markdown,
    utf16_col,
)

FILES = ["a\n::warning::pwned.go", "100%.go", "a,b:c.go", "pipe|x.go", "tick`x.go",
         "日本語.go"]
QUOTED = "**b** [x](y) ::error::boom <script>alert(1)</script>"


def _source(i: int) -> str:
    # Non-ASCII before the error: Go's byte column differs from the UTF-16 column.
    return f'package h\n\nvar s{i} = "日本語🚀"; var X{i} int = "{QUOTED}"\n'


def replay(log: str) -> tuple[list[str], list[str]]:
    """(commands GitHub would run, stop tokens used), reading `log` as the runner does: a line
    is a command when it starts with `::` after leading blanks; `::stop-commands::T` stops that
    until a line `::T::`."""
    ran, tokens = [], []
    stopped = ""
    for line in log.split("\n"):
        bare = line.strip()
        if stopped:
            if bare == f"::{stopped}::":
                stopped = ""
            continue
        if bare.startswith("::stop-commands::"):
            stopped = bare.removeprefix("::stop-commands::")
            tokens.append(stopped)
        elif bare.startswith("::") or "##[" in line:
            ran.append(line)
    assert not stopped, "commands must be resumed at the end of crossvet's output"
    return ran, tokens


def test_replay_reads_the_log_as_github_does() -> None:
    ran, tokens = replay("::group::x\n::stop-commands::t1\n  ::warning::no\n::t1::\n"
                         " ::error::yes\nplain ##[error]v1\n")
    assert ran == ["::group::x", " ::error::yes", "plain ##[error]v1"] and tokens == ["t1"]


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory, go_env: dict[str, str]
                ) -> tuple[subprocess.CompletedProcess[str], Path]:
    d = tmp_path_factory.mktemp("hostile")
    mod = d / "m"
    mod.mkdir()
    (mod / "go.mod").write_text("module example.com/h\n\ngo 1.22\n")
    for i, name in enumerate(FILES):
        (mod / name).write_text(_source(i))
    env = {**go_env, "PYTHONPATH": str(ROOT), "GITHUB_ACTIONS": "true",
           "GITHUB_STEP_SUMMARY": str(d / "summary.md"), "GITHUB_WORKSPACE": str(d)}
    proc = subprocess.run(
        [sys.executable, "-m", "crossvet", "check", str(mod), "--targets", "linux/amd64",
         "--checks", "vet,build,typecheck", "--json", str(d / "r.json"),
         "--markdown", str(d / "r.md"), "--sarif", str(d / "r.sarif")],
        cwd=d, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        timeout=600, check=False)
    return proc, d


def _own_commands(d: Path) -> set[str]:
    results = load(str(d / "r.json"))
    return set(annotate.annotate(results, prefix="m").lines)


def test_the_log_runs_only_crossvets_own_commands(
        hostile_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    proc, d = hostile_run
    assert proc.returncode == 1, proc.stdout
    assert "Traceback" not in proc.stdout
    ran, tokens = replay(proc.stdout)
    assert tokens and all(re.fullmatch(r"[0-9a-f]{32}", t) for t in tokens)
    assert len(set(tokens)) == 1  # one token per run
    own = _own_commands(d)
    annotations = [c for c in ran if c.startswith(("::error", "::warning", "::notice"))]
    assert annotations and set(annotations) <= own | {
        c for c in annotations if c.startswith("::notice title=crossvet")}
    others = [c for c in ran if c not in annotations]
    assert others[0] == annotate.REMOVE_GO_MATCHER
    assert all(c in (annotate.REMOVE_GO_MATCHER, "::endgroup::")
               or c.startswith("::group::[1/1] linux/amd64 ") for c in others), others
    # the hostile text was printed (inside the stopped stretch), not dropped
    assert "\n::warning::pwned.go:3:" in proc.stdout
    assert QUOTED in proc.stdout


def _extra(d: Path) -> tuple[str, ...]:
    data = json.loads((d / "r.json").read_text())
    return (*FILES, *(f["message"] for f in data["findings"]))


def test_markdown_summary_and_comment_keep_hostile_text_literal(
        hostile_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    _, d = hostile_run
    results = load(str(d / "r.json"))
    n = len(results.findings)
    assert {f.file for f in results.findings} == set(FILES)
    for text in ((d / "r.md").read_text(), (d / "summary.md").read_text(),
                 comment.render(results, key="crossvet", before=(), run_url="")):
        assert_literal_markdown(text, findings=n, extra=_extra(d))


def test_sarif_is_valid_with_utf16_columns_of_the_real_source(
        hostile_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    _, d = hostile_run
    log: dict[str, Any] = json.loads((d / "r.sarif").read_text())
    assert [e.message for e in _schema_validator().iter_errors(log)] == []
    data = json.loads((d / "r.json").read_text())
    by_id = {f["fingerprint"]: f for f in data["findings"]}
    results = log["runs"][0]["results"]
    assert len(results) == len(by_id)
    for r in results:
        f = by_id[r["partialFingerprints"][sarif.FINGERPRINT_KEY]]
        loc = r["locations"][0]["physicalLocation"]
        assert re.fullmatch(r"(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})+",
                            loc["artifactLocation"]["uri"])
        line = _source(FILES.index(f["file"])).encode().split(b"\n")[f["line"] - 1]
        expected = utf16_col(line, f["col"])
        assert expected is not None and expected < f["col"]  # the conversion did something
        assert loc["region"]["startColumn"] == expected
