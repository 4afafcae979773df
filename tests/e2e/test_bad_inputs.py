"""Every bad input a new user can give, run as a user runs it (`python -m crossvet`, a real
process): the documented exit code, a one-line message, never a traceback, nothing left behind.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from crossvet import cli, pipeline
from reports import terminal
from tests.conftest import ROOT

MODULE = {"go.mod": "module example.com/m\n\ngo 1.22\n", "a.go": "package m\n\nvar X = 1\n"}


def _results(tmp: Path, **diag: object) -> str:
    """A schema-1 results file with one diagnostic whose fields are `diag`."""
    d = {"message": "m", "category": "vet", **diag}
    data = {"schema": 1, "checks": ["vet"], "go": "go1.27.3", "module": "example.com/m",
            "targets": [{"id": "linux/386", "goos": "linux", "goarch": "386",
                         "checks": [{"check": "vet", "status": "fail", "diagnostics": [d]}]}]}
    path = tmp / "r.json"
    path.write_text(json.dumps(data))
    return str(path)


@dataclass(frozen=True)
class Case:
    name: str
    setup: Callable[[Path], list[str]]  # writes what the case needs; returns the arguments
    code: int
    first_line: str  # the start of stderr's first line
    env: dict[str, str] = field(default_factory=dict)


def _module(tmp: Path, config: bytes | None = None) -> Path:
    mod = tmp / "m"
    mod.mkdir(exist_ok=True)
    for name, text in MODULE.items():
        (mod / name).write_text(text)
    if config is not None:
        (mod / ".crossvet.yaml").write_bytes(config)
    return mod


def _bytes(tmp: Path, data: bytes) -> str:
    (tmp / "r.json").write_bytes(data)
    return str(tmp / "r.json")


def _dir(tmp: Path, name: str) -> str:
    (tmp / name).mkdir()
    return str(tmp / name)


def _file(tmp: Path, name: str, text: str) -> str:
    (tmp / name).write_text(text)
    return str(tmp / name)


def _workspace(tmp: Path) -> str:
    _module(tmp)
    (tmp / "go.work").write_text("go 1.22\n\nuse ./m\n")
    return str(tmp)


def _gomod(tmp: Path, text: str) -> str:
    mod = _module(tmp)
    (mod / "go.mod").write_text(text)
    return str(mod)


def _files(tmp: Path, files: dict[str, str]) -> str:
    """A module example.com/m with only these files besides go.mod."""
    mod = tmp / "m"
    mod.mkdir()
    (mod / "go.mod").write_text(MODULE["go.mod"])
    for name, text in files.items():
        (mod / name).write_text(text)
    return str(mod)


def _empty(checks: list[str]) -> Callable[[Path], list[str]]:
    return lambda t: ["check", _files(t, {}), "--targets", "linux/amd64,linux/386", "--checks",
                      *checks]


MALFORMED = "module example.com/m\n\ngo 1.22\nrequire (\n"


def _check_gomod(text: str, checks: str) -> Callable[[Path], list[str]]:
    return lambda t: ["check", _gomod(t, text), "--targets", "linux/amd64", "--checks", checks]

CASES = [
    Case("file as PATH", lambda t: ["check", str(_module(t) / "a.go")], 2,
         "crossvet: error: "),
    Case("--json is a directory",
         lambda t: ["check", str(_module(t)), "--json", _dir(t, "out")], 2,
         "crossvet: error: cannot write "),
    Case("--markdown is a directory",
         lambda t: ["check", str(_module(t)), "--markdown", _dir(t, "out")], 2,
         "crossvet: error: cannot write "),
    Case("--sarif below a file",
         lambda t: ["check", str(_module(t)), "--sarif", str(_module(t) / "go.mod" / "x")], 2,
         "crossvet: error: cannot write "),
    Case("report --junit is a directory",
         lambda t: ["report", _results(t), "--junit", _dir(t, "out")], 2,
         "crossvet: error: cannot write "),
    Case("non-UTF-8 .crossvet.yaml",
         lambda t: ["check", str(_module(t, config=b"targets: \xff\n"))], 2,
         "crossvet: error: m/.crossvet.yaml: not UTF-8 text (byte 0xff at offset 9)"),
    Case("config over 1 MiB",
         lambda t: ["check", str(_module(t, config=b"# x\n" * 300_000))], 2,
         "crossvet: error: m/.crossvet.yaml: 1200000 bytes is too big for a config file"),
    Case("non-UTF-8 results file",
         lambda t: ["report", _bytes(t, b"\xfe\xff")], 2,
         "crossvet: error: "),
    Case("results: line is a string", lambda t: ["report", _results(t, line="x")], 2,
         "crossvet: error: "),
    Case("results: file is null", lambda t: ["report", _results(t, file=None)], 2,
         "crossvet: error: "),
    Case("merge: col is a list", lambda t: ["merge", _results(t, col=[])], 2,
         "crossvet: error: "),
    Case("--timeout -5", lambda t: ["check", str(_module(t)), "--timeout", "-5"], 2,
         "crossvet: error: --timeout: timeout should be a finite number of seconds"),
    Case("--timeout nan", lambda t: ["check", str(_module(t)), "--timeout", "nan"], 2,
         "crossvet: error: --timeout: timeout should be a finite number of seconds"),
    Case("CROSSVET_TIMEOUT=-1", lambda t: ["check", str(_module(t))], 2,
         "crossvet: error: CROSSVET_TIMEOUT: timeout should be a finite number",
         env={"CROSSVET_TIMEOUT": "-1"}),
    Case("timeout in the file", lambda t: ["check", str(_module(t, config=b"timeout: "
                                                                 b"-1\n"))], 2,
         "crossvet: error: m/.crossvet.yaml:1: timeout should be a finite number"),
    *(Case(f"malformed go.mod, --checks {checks}",
           _check_gomod(MALFORMED, checks), 2,
           "crossvet: error: go cannot load the module: go: errors parsing go.mod: go.mod:5: "
           "syntax error (unterminated block")
      for checks in ("vet,build", "typecheck", "vet")),
    *(Case(f"no module line, --checks {checks}",
           _check_gomod("go 1.22\n", checks), 2,
           "crossvet: error: go cannot load the module: go: error reading go.mod: missing "
           "module declaration")
      for checks in ("build", "typecheck")),
    # An output path never destroys an input (nor is named as one), checked before anything runs.
    Case("--json go.mod", lambda t: ["check", str(_module(t)), "--json", str(t / "m/go.mod")], 2,
         "crossvet: error: --json "),
    Case("--markdown a new .go file in the module",
         lambda t: ["check", str(_module(t)), "--markdown", str(t / "m/report.go")], 2,
         "crossvet: error: --markdown "),
    Case("--junit go.work", lambda t: ["check", _workspace(t), "--junit", str(t / "go.work")], 2,
         "crossvet: error: --junit "),
    Case("--sarif .crossvet.yaml",
         lambda t: ["check", str(_module(t, config=b"jobs: 1\n")), "--sarif",
                    str(t / "m/.crossvet.yaml")], 2, "crossvet: error: --sarif "),
    Case("--json a new .crossvet.yml",
         lambda t: ["check", str(_module(t)), "--json", str(t / ".crossvet.yml")], 2,
         "crossvet: error: --json "),
    Case("--json the --config file",
         lambda t: ["check", str(_module(t)), "--config", _file(t, "c.yaml", "jobs: 1\n"),
                    "--json", "c.yaml"], 2, "crossvet: error: --json c.yaml: "),
    Case("--json the --baseline file",
         lambda t: ["check", str(_module(t)), "--baseline", _results(t), "--json", "r.json"], 2,
         "crossvet: error: --json r.json: "),
    Case("report R --markdown R", lambda t: ["report", _results(t), "--markdown", "r.json"], 2,
         "crossvet: error: --markdown r.json: "),
    Case("merge R --json R", lambda t: ["merge", _results(t), "--json", "./r.json"], 2,
         "crossvet: error: --json ./r.json: "),
    Case("two reports onto one file",
         lambda t: ["report", _results(t), "--junit", "out.xml", "--markdown", "out.xml"], 2,
         "crossvet: error: --junit and --markdown name the same file out.xml"),
    # Values past any sane bound, and a package pattern naming no directory.
    Case("--timeout 2200000", lambda t: ["check", str(_module(t)), "--timeout", "2200000"], 2,
         "crossvet: error: --timeout: timeout should be at most 86400 seconds"),
    Case("timeout past a day in the file",
         lambda t: ["check", str(_module(t, config=b"timeout: 86401\n"))], 2,
         "crossvet: error: m/.crossvet.yaml:1: timeout should be at most 86400 seconds"),
    Case("--typecheck-memory 99999999",
         lambda t: ["check", str(_module(t)), "--typecheck-memory", "99999999"], 2,
         "crossvet: error: --typecheck-memory: typecheck_memory should be at most 1048576 MB"),
    Case("--packages ./nonexistent/...",
         lambda t: ["check", str(_module(t)), "--packages", "./nonexistent/..."], 2,
         "crossvet: error: --packages: package pattern ./nonexistent/...: m has no directory "
         "./nonexistent/"),
    Case("packages in the file name no directory",
         lambda t: ["check", str(_module(t, config=b"packages: [., ./nope]\n"))], 2,
         "crossvet: error: m/.crossvet.yaml:1: package pattern ./nope: m has no directory ./nope"),
    *(Case(f"a module with no packages, --checks {checks}",
           _empty(checks.split()), 2,
           "crossvet: error: no packages to check: ./... matches no package of example.com/m "
           "that builds for any of the 2 targets (nothing was checked)")
      for checks in ("typecheck,vet", "build", "vet --vet go")),
    Case("no package that the target builds",
         lambda t: ["check", _files(t, {"a.go": "//go:build windows\n\npackage m\n"}),
                    "--targets", "linux/amd64"], 2,
         "crossvet: error: no packages to check: ./... matches no package of example.com/m "
         "that builds for linux/amd64 (nothing was checked)"),
    Case("GITHUB_API_URL not http(s)", lambda t: ["comment", _results(t), "--pr", "1"], 2,
         "crossvet: error: GITHUB_API_URL must be an http(s) URL",
         env={"GITHUB_API_URL": "api.github.com", "GITHUB_REPOSITORY": "o/r",
              "GITHUB_TOKEN": "t"}),
]
MESSAGES = {  # the whole first line where the start alone says too little
    "--json go.mod": "/m/go.mod: refusing to write a report named go.mod, which go reads as input",
    "--markdown a new .go file in the module": "/m/report.go: refusing to write a report named "
                                               "*.go, which go reads as input",
    "--junit go.work": "/go.work: refusing to write a report named go.work, which go reads as "
                       "input",
    "--sarif .crossvet.yaml": "/m/.crossvet.yaml: refusing to overwrite an input of this run "
                              "(the config file)",
    "--json a new .crossvet.yml": "/.crossvet.yml: refusing to write a report named "
                                  ".crossvet.yml, which crossvet reads as input",
    "--json the --config file": "refusing to overwrite an input of this run (the config file)",
    "--json the --baseline file": "refusing to overwrite an input of this run (the baseline "
                                  "file)",
    "report R --markdown R": "refusing to overwrite an input of this run (a results file it "
                             "reads)",
    "merge R --json R": "refusing to overwrite an input of this run (a results file it reads)",
    "file as PATH": "m/a.go: not a directory (PATH is the Go module's root directory)",
    "--json is a directory": "/out: it is a directory",
    "non-UTF-8 results file": "r.json: not a results file: not UTF-8 text (byte 0xfe at offset 0)",
    "results: line is a string": "r.json: targets[0].checks[0].diagnostics[0].line: expected an "
                                 "integer, got a string",
    "results: file is null": "r.json: targets[0].checks[0].diagnostics[0].file: expected a "
                             "string, got null",
    "merge: col is a list": "r.json: targets[0].checks[0].diagnostics[0].col: expected an "
                            "integer, got a list",
}


def _tree(root: Path) -> dict[str, bytes | None]:
    """Every file and directory under root, with each file's bytes: inputs stay unchanged."""
    return {str(p.relative_to(root)): None if p.is_dir() else p.read_bytes()
            for p in root.rglob("*")}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, tmp_path: Path, go_env: dict[str, str]) -> None:
    args = case.setup(tmp_path)
    before = _tree(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "crossvet", *args], cwd=tmp_path,
                          env={**go_env, "PYTHONPATH": str(ROOT), **case.env},
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == case.code, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr  # one line, not a story
    assert lines[0].startswith(case.first_line), lines[0]
    if case.name in MESSAGES:
        assert lines[0].endswith(MESSAGES[case.name]), lines[0]
    assert _tree(tmp_path) == before, "a failed run left a file behind or changed an input"


def test_an_internal_error_is_exit_3_in_one_line_naming_the_results(
        tmp_path: Path, go_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in crossvet is exit 3 (never 1, which means findings) and says so, with where the
    results written before it are."""
    mod = _module(tmp_path)

    def broken(*args: object, **kwargs: object) -> str:
        raise KeyError("boom")

    monkeypatch.setattr(terminal, "summary", broken)  # after the results JSON is out
    out, err = io.StringIO(), io.StringIO()
    results = tmp_path / "r.json"
    code = cli.run(["check", str(mod), "--targets", "linux/amd64", "--json", str(results)],
                   go_env, out, err)
    assert code == 3
    (line,) = err.getvalue().splitlines()
    assert line.startswith("crossvet: internal error (a bug in crossvet")
    assert "KeyError: 'boom'" in line and line.endswith(f"results written before it: {results}")
    assert json.loads(results.read_text())["schema"] == 2


def test_an_internal_error_before_any_results_says_none_were_written(
        tmp_path: Path, go_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("bad\nsecond line")

    monkeypatch.setattr(pipeline, "make_plan", broken)
    err = io.StringIO()
    code = cli.run(["check", str(_module(tmp_path)), "--json", str(tmp_path / "r.json")],
                   go_env, io.StringIO(), err)
    assert code == 3
    assert err.getvalue().splitlines() == [
        "crossvet: internal error (a bug in crossvet, please report it with CROSSVET_DEBUG=1's "
        "traceback): ValueError: bad; no results were written"]
    assert not os.path.exists(tmp_path / "r.json")
