"""The one table of report formats (reports/formats.py) reaches the command line of every command
that writes reports, the writers, the output-path check and the GitHub Action."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from checker.model import CheckResult, Diagnostic
from crossvet import action, cli
from crossvet.outputs import write_all
from matrix.options import resolve_check
from reports.formats import FORMATS
from reports.results import Results, TargetResult, to_text
from tests.conftest import ROOT

NAMES = [f.name for f in FORMATS]


def _results() -> Results:
    d = Diagnostic(target="linux/386", check="build", file="a.go", line=3, col=2,
                   message="constant 4294967296 overflows int", category="overflow")
    t = TargetResult(id="linux/386", goos="linux", goarch="386", checks=(
        CheckResult(target="linux/386", check="build", status="fail", diagnostics=(d,)),))
    return Results(targets=(t,), checks=("build",))


def test_the_table_has_the_known_formats_once() -> None:
    assert NAMES == ["json", "junit", "markdown", "sarif", "codequality"]
    assert len(set(NAMES)) == len(NAMES)


@pytest.mark.parametrize("command", ["check", "report", "merge"])
def test_every_format_is_a_flag_of_every_reporting_command(command: str) -> None:
    head = {"check": ["check", "m"], "report": ["report", "r.json"],
            "merge": ["merge", "r.json"]}[command]
    argv = [*head, *(a for n in NAMES for a in (f"--{n}", f"out.{n}"))]
    args = cli.build_parser().parse_args(argv)
    opts = resolve_check({**vars(args), "path": "/m"}, {}, 1)
    assert opts.outputs == tuple((n, f"out.{n}") for n in NAMES)
    # the last path given for a format wins
    args = cli.build_parser().parse_args([*head, "--json", "a", "--json=b"])
    assert resolve_check({**vars(args), "path": "/m"}, {}, 1).outputs == (("json", "b"),)


def test_every_format_is_written(tmp_path: Path) -> None:
    paths = {n: str(tmp_path / f"r.{n}") for n in NAMES}
    written = write_all(_results(), paths.items())
    assert written == list(paths.values())
    assert json.loads(Path(paths["json"]).read_text())["summary"]["findings"] == 1
    assert ET.parse(paths["junit"]).getroot().tag in ("testsuites", "testsuite")
    assert "overflows int" in Path(paths["markdown"]).read_text()
    assert json.loads(Path(paths["sarif"]).read_text())["version"] == "2.1.0"
    assert json.loads(Path(paths["codequality"]).read_text())[0]["location"] == {
        "path": "a.go", "lines": {"begin": 3}}
    # nothing asked, nothing written
    assert write_all(_results(), ()) == []


@pytest.mark.parametrize("name", NAMES)
def test_a_report_path_that_cannot_be_written_is_refused_before_anything_runs(
        name: str, tmp_path: Path) -> None:
    results = tmp_path / "r.json"
    results.write_text(to_text(_results()))
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(["report", str(results), f"--{name}", str(tmp_path)], {}, out, err)
    assert code == 2 and f"cannot write {tmp_path}: it is a directory" in err.getvalue()
    assert out.getvalue() == ""  # refused before the summary


def test_formats_with_an_action_input_reach_action_yml_and_the_check() -> None:
    spec = yaml.safe_load((ROOT / "action.yml").read_text())
    run_env = next(s for s in spec["runs"]["steps"] if s.get("id") == "run")["env"]
    with_input = [f for f in FORMATS if f.action_input]
    assert with_input  # sarif
    for f in with_input:
        var = action.input_variable(f.action_input)
        assert f.action_input in spec["inputs"]
        assert run_env[var] == f"${{{{ inputs.{f.action_input} }}}}"
        argv = action.check_argv({var: "x.out"}, "r.json")
        assert f"--{f.name}=x.out" in argv
        args = cli.build_parser().parse_args(argv)
        assert (f.name, "x.out") in resolve_check({**vars(args), "path": "/m"}, {}, 1).outputs
