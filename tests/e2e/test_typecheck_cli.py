"""`crossvet check --checks typecheck` end to end: its findings equal build's and vet's."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SMALL_TARGETS, CliRunner, fixture
from tests.helpers.typecheck_helpers import build_engine, cli_env

ARCH_TARGETS = "linux/amd64,linux/386,linux/arm,linux/arm64"
# Fixture -> targets. Each has findings that differ by target, in the compiler's own words.
PARITY = {
    "overflow": SMALL_TARGETS,
    "uint32const": SMALL_TARGETS,
    "ossplit": SMALL_TARGETS,
    "testonly386": SMALL_TARGETS,
    "clean": SMALL_TARGETS,
    "manyerrors": "linux/amd64,linux/386",
    "vetprintf": "linux/amd64,linux/386",
    "tagsets": "linux/amd64,linux/386",
    "tc_arch": ARCH_TARGETS,
    "tc_xtest": ARCH_TARGETS,
    "tc_cgo": "linux/amd64,linux/386",
    "tc_narrowing": ARCH_TARGETS,
    "tc_missingdep": "linux/amd64",
    "linedir": "linux/amd64,linux/386",
}


@pytest.fixture(scope="module")
def engine(go_env: dict[str, str]) -> str:
    return build_engine(go_env)


def _check(cli: CliRunner, engine: str, tmp: Path, name: str, targets: str,
           *extra: str) -> tuple[int, dict[str, Any]]:
    out = tmp / "results.json"
    res = cli("check", fixture(name), "--targets", targets, "--json", str(out), *extra,
              env=cli_env(engine, str(tmp)))
    assert res.err == "", res.err
    return res.code, json.loads(out.read_text())


def _by_check(findings: list[dict[str, Any]], checks: set[str]) -> dict[tuple[Any, ...], list[str]]:
    """Compiler-type findings (no vet analyzers, no narrowing) seen by any of `checks`."""
    return {(f["file"], f["line"], f["col"], f["message"]): f["targets"] for f in findings
            if set(f["checks"]) & checks and f["category"] not in ("vet", "narrowing")}


@pytest.mark.parametrize("name", sorted(PARITY))
def test_typecheck_findings_equal_build_and_vet(cli: CliRunner, engine: str, tmp_path: Path,
                                                name: str) -> None:
    code, data = _check(cli, engine, tmp_path, name, PARITY[name],
                        "--checks", "typecheck,build,vet")
    findings = data["findings"]
    typecheck = _by_check(findings, {"typecheck"})
    go_tools = _by_check(findings, {"build", "vet"})
    assert typecheck == go_tools  # same problems, same positions, same texts, same targets
    for f in findings:  # and each was merged into one finding
        if f["category"] not in ("vet", "narrowing"):
            assert "typecheck" in f["checks"] and len(f["checks"]) >= 2, f
    assert code == (1 if any(f["severity"] == "error" for f in findings) else 0)
    if name == "manyerrors":  # every error, not the compiler's first ten
        assert len(typecheck) == 12
    if name in ("overflow", "uint32const", "testonly386", "tc_arch", "ossplit", "tc_xtest",
                "manyerrors"):
        assert typecheck  # the fixture is not vacuous
    if name == "tc_arch":
        assert typecheck[("user/user.go", 8, 30, "cannot use arch.Name() (value of type string) "
                          "as int value in return statement")] == ["linux/amd64"]
    if name == "tc_missingdep":  # go list's words, not "could not import ... (invalid ...)"
        assert sorted((line, m.split(";")[0].split(" (")[0]) for _, line, _, m in typecheck) == [
            (4, "no required module provides package example.org/dep"),
            (6, "package notstd/pkg is not in std")]
    if name == "linedir":  # positions through a //line directive, without a column
        [f] = findings
        assert (f["file"], f["line"], f["col"], f["checks"], f["targets"]) == (
            "expressions.y", 14, 0, ["build", "typecheck", "vet"], ["linux/386"])
        assert f["category"] == "overflow"
    if name == "testonly386":  # (narrowing is checked in packages with type errors too)
        [f] = [f for f in findings if f["category"] != "narrowing"]
        assert f["checks"] == ["typecheck", "vet"] and f["file"] == "size_test.go"


def test_narrowing_is_a_warning_unless_configured(cli: CliRunner, engine: str,
                                                  tmp_path: Path) -> None:
    code, data = _check(cli, engine, tmp_path, "tc_narrowing", "linux/amd64,linux/arm",
                        "--checks", "typecheck")
    narrowing = [f for f in data["findings"] if f["category"] == "narrowing"]
    assert code == 0 and narrowing
    assert all(f["severity"] == "warning" and f["targets"] == ["linux/arm"] for f in narrowing)
    code, data = _check(cli, engine, tmp_path, "tc_narrowing", "linux/amd64,linux/arm",
                        "--checks", "typecheck", "--narrowing", "error")
    assert code == 1
    assert {f["severity"] for f in data["findings"]} == {"error"}
    assert data["targets"][1]["status"] == "fail" and data["targets"][0]["status"] == "ok"


def test_narrowing_level_and_generated_flags(cli: CliRunner, engine: str,
                                             tmp_path: Path) -> None:
    """By default: only conversions from 64-bit types, none in generated or guarded code; the
    flags add uint32 -> int and generated files, and the result cache tells the runs apart."""
    def shapes(*extra: str) -> set[tuple[str, int]]:
        _, data = _check(cli, engine, tmp_path, "tc_narrowing", "linux/386", "--checks",
                         "typecheck", *extra)
        return {(f["file"], f["line"]) for f in data["findings"] if f["category"] == "narrowing"}

    default = shapes()
    assert ("narrow.go", 8) in default and ("narrow.go", 9) not in default
    assert not {f for f, _ in default} & {"guarded.go", "zz_generated.go"}
    assert shapes("--narrowing-level", "all") == default | {("narrow.go", 9)}
    assert shapes("--narrowing-generated") == default | {("zz_generated.go", 5)}
    assert shapes() == default


def test_workspace_modules_other_than_the_checked_one_are_dependencies(
        cli: CliRunner, engine: str, tmp_path: Path) -> None:
    """In a go.work workspace, lib's narrowing conversion is not app's finding, and every path
    is relative (nothing outside the checked module is reported)."""
    app = Path(fixture("tc_workspace")) / "app"
    out = tmp_path / "results.json"
    res = cli("check", str(app), "--targets", "linux/386", "--checks", "typecheck", "--json",
              str(out), env={**cli_env(engine, str(tmp_path)), "GOWORK": ""})
    assert res.err == "", res.err
    data = json.loads(out.read_text())
    assert [(f["file"], f["line"], f["category"]) for f in data["findings"]] == [
        ("app.go", 8, "narrowing")]
    assert data["targets"][0]["checks"][0]["packages"] == ["example.com/app"]
    # checked from the workspace's other module, lib's own conversion is the finding
    res = cli("check", str(app.parent / "lib"), "--targets", "linux/386", "--checks",
              "typecheck", "--json", str(out), env={**cli_env(engine, str(tmp_path)),
                                                    "GOWORK": ""})
    assert [(f["file"], f["line"]) for f in json.loads(out.read_text())["findings"]] == [
        ("lib.go", 7)]


def test_warm_run_is_answered_from_the_cache(cli: CliRunner, engine: str,
                                             tmp_path: Path) -> None:
    first = _check(cli, engine, tmp_path, "overflow", SMALL_TARGETS, "--checks", "typecheck")
    second = _check(cli, engine, tmp_path, "overflow", SMALL_TARGETS, "--checks", "typecheck")
    assert first[1]["findings"] == second[1]["findings"] and first[0] == second[0] == 1
    assert any((tmp_path / "cache" / "typecheck").rglob("*.json"))


def test_engine_failure_marks_every_target_not_checked(cli: CliRunner, tmp_path: Path) -> None:
    res = cli("check", fixture("clean"), "--targets", "linux/amd64,linux/386",
              "--checks", "typecheck,build",
              env={"CROSSVET_ENGINE": str(tmp_path / "missing"),
                   "CROSSVET_CACHE_DIR": str(tmp_path)})
    assert res.code == 3
    assert "typecheck: typecheck engine" in res.out and "not an executable" in res.out
    assert "build ok" in res.out  # the other check still ran


def test_the_first_run_announces_the_engine_build_and_later_runs_do_not(
        cli: CliRunner, engine: str, tmp_path: Path) -> None:
    """A new cache directory means a new engine build (quick here: go's build cache is warm)."""
    argv = ("check", fixture("overflow"), "--targets", "linux/386", "--checks", "typecheck",
            "--cache-dir", str(tmp_path / "cache"))
    first = cli(*argv)
    lines = first.out.splitlines()
    building = next(i for i, ln in enumerate(lines) if ln.startswith(
        "crossvet: building the type-check engine with go1."))
    assert lines[building].endswith(" (first run only)...")
    assert re.fullmatch(r"crossvet: built the type-check engine in \d+\.\ds", lines[building + 1])
    assert re.search(r"^crossvet: checked in \d+\.\ds$", first.out, re.M)
    assert first.code == 1
    again = cli(*argv)
    assert again.code == 1 and "type-check engine" not in again.out
