"""`crossvet check` end to end: the real go on the fixture modules."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from crossvet.cli import run
from tests.conftest import SMALL_TARGETS, CliResult, CliRunner, fixture


def check(cli: CliRunner, name: str, tmp_path: Path, *extra: str,
          targets: str = SMALL_TARGETS) -> tuple[CliResult, dict[str, Any]]:
    out = tmp_path / f"{name}.json"
    args = ["check", fixture(name) if "/" not in name else name, "--json", str(out)]
    if targets:
        args += ["--targets", targets]
    res = cli(*args, *extra)
    data = json.loads(out.read_text()) if out.exists() else {}
    return res, data


def summary(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(f["category"], f["file"], f["line"], f["col"], f["targets"])
            for f in data["findings"]]


def statuses(data: dict[str, Any]) -> dict[str, str]:
    return {t["id"]: t["status"] for t in data["targets"]}


@pytest.fixture(scope="module")
def overflow_run(tmp_path_factory: pytest.TempPathFactory, go_env: dict[str, str]
                 ) -> tuple[CliResult, dict[str, Any], Path]:
    d = tmp_path_factory.mktemp("overflow")
    out, err = io.StringIO(), io.StringIO()
    code = run(["check", fixture("overflow"), "--targets", SMALL_TARGETS, "--checks", "vet,build",
                "--vet", "go", "--json", str(d / "r.json"), "--junit", str(d / "r.xml"),
                "--markdown", str(d / "r.md")], go_env, out, err)
    res = CliResult(code=code, out=out.getvalue(), err=err.getvalue())
    return res, json.loads((d / "r.json").read_text()), d


def test_overflow_is_one_finding_listing_the_32_bit_targets(
        overflow_run: tuple[CliResult, dict[str, Any], Path]) -> None:
    res, data, _ = overflow_run
    assert res.code == 1, res.err
    assert summary(data) == [
        ("overflow", "s3/minio.go", 14, 51, ["linux/386", "linux/arm", "windows/386"])]
    (f,) = data["findings"]
    assert f["message"] == ("cannot use maxPartSize * maxNumSize (untyped int constant "
                            "53687091200000) as int value in argument to fmt.Errorf (overflows)")
    assert f["checks"] == ["build", "vet"]
    assert "32 bits wide" in f["explanation"]


def test_the_default_finds_the_overflow_in_the_engine(cli: CliRunner, tmp_path: Path) -> None:
    """No --checks: typecheck and vet in the engine, no go build or go vet; the same finding
    as `go build` and `go vet` give (above), from both of the engine's checks."""
    res, data = check(cli, "overflow", tmp_path)
    assert res.code == 1, res.err
    assert "typecheck, vet" in res.out
    assert summary(data) == [
        ("overflow", "s3/minio.go", 14, 51, ["linux/386", "linux/arm", "windows/386"])]
    assert data["findings"][0]["checks"] == ["typecheck", "vet"]
    assert statuses(data) == {"linux/amd64": "ok", "linux/386": "fail", "linux/arm": "fail",
                              "windows/386": "fail"}
    assert data["go"].startswith("go1.")
    assert data["module"] == "example.com/overflow"


def test_terminal_output_has_progress_and_summary(
        overflow_run: tuple[CliResult, dict[str, Any], Path]) -> None:
    res, _, _ = overflow_run
    lines = res.out.splitlines()
    progress = [line for line in lines if line.startswith("[")]
    assert len(progress) == 4
    assert {line.split()[0] for line in progress} == {"[1/4]", "[2/4]", "[3/4]", "[4/4]"}
    assert any("linux/386" in line and "fail" in line for line in progress)
    assert "\033[" not in res.out  # not a TTY: no colours
    assert "error [overflow] s3/minio.go:14:51:" in res.out
    assert "on 3/4 targets: linux/386, linux/arm, windows/386" in res.out
    assert lines[-4].startswith("1 finding on 4 targets: 1 ok, 3 failing, 0 not checked")


def test_report_rebuilds_every_report_from_the_json_alone(
        overflow_run: tuple[CliResult, dict[str, Any], Path], cli: CliRunner,
        tmp_path: Path) -> None:
    _, _, d = overflow_run
    res = cli("report", str(d / "r.json"), "--junit", str(tmp_path / "again.xml"),
              "--markdown", str(tmp_path / "again.md"), "--json", str(tmp_path / "again.json"))
    assert res.code == 1
    assert (tmp_path / "again.md").read_text() == (d / "r.md").read_text()
    assert (tmp_path / "again.xml").read_text() == (d / "r.xml").read_text()
    assert json.loads((tmp_path / "again.json").read_text()) == json.loads(
        (d / "r.json").read_text())


def test_math_maxuint32_as_int(cli: CliRunner, tmp_path: Path) -> None:
    res, data = check(cli, "uint32const", tmp_path)
    assert res.code == 1
    assert summary(data) == [
        ("overflow", "limits.go", 6, 20, ["linux/386", "linux/arm", "windows/386"])]
    assert "math.MaxUint32 (untyped int constant 4294967295)" in data["findings"][0]["message"]


def test_function_missing_on_one_os_is_undefined_there_only(cli: CliRunner,
                                                            tmp_path: Path) -> None:
    res, data = check(cli, "ossplit", tmp_path)
    assert res.code == 1
    assert summary(data) == [("undefined", "name.go", 4, 38, ["windows/386"])]
    assert data["findings"][0]["message"] == "undefined: platformName"


def test_vet_printf_finding_names_its_analyzer(cli: CliRunner, tmp_path: Path) -> None:
    res, data = check(cli, "vetprintf", tmp_path, targets="linux/amd64,linux/386")
    assert res.code == 1
    (f,) = data["findings"]
    assert (f["category"], f["analyzer"], f["file"], f["line"]) == ("vet", "printf", "greet.go", 7)
    assert f["targets"] == ["linux/amd64", "linux/386"]
    assert f["checks"] == ["vet"]


def test_test_file_that_fails_only_on_32_bit_is_reported(cli: CliRunner, tmp_path: Path) -> None:
    res, data = check(cli, "testonly386", tmp_path, "--checks", "vet", "--vet", "go")
    assert res.code == 1
    assert summary(data) == [
        ("overflow", "size_test.go", 7, 17, ["linux/386", "linux/arm", "windows/386"])]
    assert data["findings"][0]["checks"] == ["vet"]


def test_every_error_is_collected_not_the_first_ten(cli: CliRunner, tmp_path: Path) -> None:
    res, data = check(cli, "manyerrors", tmp_path, "--checks", "build",
                      targets="linux/amd64")
    assert res.code == 1
    found = sorted(f["message"] for f in data["findings"])
    assert found == [f"undefined: missing{i:02d}" for i in range(1, 13)]


def test_clean_module_passes_on_the_default_first_class_targets(cli: CliRunner,
                                                                tmp_path: Path) -> None:
    res, data = check(cli, "clean", tmp_path, targets="")
    assert res.code == 0, res.out + res.err
    ids = [t["id"] for t in data["targets"]]
    assert {"linux/386", "linux/amd64", "linux/arm", "windows/386", "darwin/arm64"} <= set(ids)
    assert all(s == "ok" for s in statuses(data).values())
    assert data["findings"] == []


def test_github_actions_output_groups_each_target(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    res = cli("check", fixture("ossplit"), "--targets", "linux/amd64,windows/386",
              "--checks", "vet,build", "--vet", "go",
              "--json", str(out), env={"GITHUB_ACTIONS": "true"})
    assert res.code == 1
    groups = [line for line in res.out.splitlines() if line.startswith("::group::")]
    assert len(groups) == 2
    assert res.out.count("::endgroup::") == 2
    assert "build,vet: name.go:4:38: undefined: platformName" in res.out


def test_unknown_target_is_a_usage_error_listing_valid_ones(cli: CliRunner) -> None:
    res = cli("check", fixture("clean"), "--targets", "linux/amd64,linux/368")
    assert res.code == 2
    assert "unknown target(s)" in res.err
    assert "linux/368 (did you mean linux/386" in res.err
    assert "valid targets: " in res.err and "windows/arm64" in res.err


def test_not_a_module_is_a_usage_error(cli: CliRunner, tmp_path: Path) -> None:
    res = cli("check", str(tmp_path))
    assert res.code == 2
    assert "not a Go module root (no go.mod)" in res.err


def test_no_go_on_path_is_an_infrastructure_error(cli: CliRunner, tmp_path: Path) -> None:
    res = cli("check", fixture("clean"), env={"PATH": str(tmp_path)})
    assert res.code == 3
    assert "no `go` on PATH" in res.err
    assert "Traceback" not in res.err


def test_bad_results_file_for_report(cli: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": 7}')
    res = cli("report", str(bad))
    assert res.code == 2
    assert "unsupported results schema 7" in res.err


def hanging_module(tmp_path: Path) -> Path:
    """A copy of the clean fixture with a FIFO named x_windows.go.

    go reads a file's header only when its name matches the target, so linux targets skip the
    FIFO while windows ones block on it forever: a real hung `go` for one target only.
    """
    mod = tmp_path / "hang"
    shutil.copytree(fixture("clean"), mod)
    os.mkfifo(mod / "x_windows.go")
    return mod


def test_hung_target_is_killed_and_reported_while_the_rest_finish(cli: CliRunner,
                                                                  tmp_path: Path) -> None:
    mod = hanging_module(tmp_path)
    # build only: vet's buildtag analyzer reads excluded files too, so vet would hang everywhere.
    res, data = check(cli, str(mod), tmp_path, "--timeout", "5", "--checks", "build",
                      targets="linux/amd64,windows/386,linux/386")
    assert res.code == 3, res.out + res.err
    assert statuses(data) == {"linux/amd64": "ok", "windows/386": "error", "linux/386": "ok"}
    (win,) = [t for t in data["targets"] if t["id"] == "windows/386"]
    assert [c["error"] for c in win["checks"]] == [
        "go list timed out (the job's limit is 5s) and was killed"]
    assert "could not check:" in res.out
