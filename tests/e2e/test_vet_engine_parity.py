"""Parity is the contract of vet in the engine: on every fixture and several targets, the
engine's vet findings are exactly `go vet -json`'s (file, line, column, message, analyzer),
read through the same parser crossvet reads `go vet` with; its type and load errors are a
superset of the ones `go vet` prints (README, docs/typecheck.md "Same findings")."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from checker import commands, parse, proc
from checker.model import Diagnostic
from matrix.plan import Job
from matrix.targets import Target
from tests.conftest import ROOT, SMALL_TARGETS, CliRunner, fixture
from tests.helpers.typecheck_helpers import build_engine, cli_env, run

FIXTURES = sorted(str(p.parent.relative_to(Path(fixture("clean")).parent))
                  for p in Path(fixture("clean")).parent.rglob("go.mod"))
# Modules the engine's Go tests also use: one copy, in the engine's testdata/.
ENGINE_TESTDATA = ROOT / "checker" / "engine" / "testdata"
SHARED = ("vetdep", "vetdep/logdep", "asmarch", "vetasm")
MODULES = {**{name: fixture(name) for name in FIXTURES},
           **{f"engine:{name}": str(ENGINE_TESTDATA / name) for name in SHARED}}
TARGETS = ("linux/amd64", "linux/386", "windows/386")

Finding = tuple[str, int, int, str, str]


@pytest.fixture(scope="module")
def engine(go_env: dict[str, str]) -> str:
    return build_engine(go_env)


def _vet_findings(diags: tuple[Diagnostic, ...]) -> set[Finding]:
    return {(d.file, d.line, d.col, d.message, d.analyzer) for d in diags if d.category == "vet"}


def _errors(diags: tuple[Diagnostic, ...]) -> set[tuple[str, int, int, str]]:
    """Type and load errors (not an analyzer's), by position and first line; go/parser's
    `(and N more errors)`, which `go vet` prints for the errors it leaves out, left out."""
    return {(d.file, d.line, d.col, re.sub(r" \(and \d+ more errors?\)$", "",
                                           d.message.split("\n")[0]))
            for d in diags if d.category != "vet"}


def _go_vet(job: Job, module: str, env: dict[str, str],
            packages: Sequence[str] = ("./...",)) -> tuple[Diagnostic, ...]:
    cmd = commands.vet(job, packages)
    result = proc.run(["go", *cmd.args], env={**env, **cmd.env_dict()}, cwd=module,
                      timeout=600)
    where = parse.Where(target=job.name, check="vet", module_dir=module)
    return tuple(parse.parse_vet(result.stdout + "\n" + result.stderr, where))


@pytest.mark.parametrize("name", sorted(MODULES))
def test_engine_vet_finds_what_go_vet_finds(engine: str, go_env: dict[str, str],
                                            name: str) -> None:
    module = MODULES[name]
    jobs = [Job(target=Target.parse(t), checks=("vet",)) for t in TARGETS]
    _, results = run(engine, go_env, module, jobs, check="vet")
    for job in jobs:
        go_vet = _go_vet(job, module, go_env)
        want = _vet_findings(go_vet)
        got = _vet_findings(results[job.name].diagnostics)
        if not _errors(go_vet):
            assert got == want, (job.name, sorted(got - want), sorted(want - got))
        else:  # go vet analyzes nothing past a load error: the engine's findings are more
            assert got >= want, (job.name, sorted(want - got))
        errors = _errors(results[job.name].diagnostics)
        assert errors >= _errors(go_vet), (job.name, sorted(_errors(go_vet) - errors))
        if name == "manyerrors":  # more type errors than the first one `go vet` prints
            assert len(errors) > len(_errors(go_vet)) >= 1, job.name


def test_the_mixed_fixture_exercises_facts_and_per_target_findings(
        engine: str, go_env: dict[str, str]) -> None:
    """The fixture the parity test relies on really has what it is meant to cover."""
    jobs = [Job(target=Target.parse(t), checks=("vet",)) for t in ("linux/386", "windows/386")]
    _, results = run(engine, go_env, fixture("vetmix"), jobs, check="vet")
    linux = _vet_findings(results["linux/386"].diagnostics)
    windows = _vet_findings(results["windows/386"].diagnostics)
    analyzers = {f[4] for f in linux}
    assert {"printf", "lostcancel", "copylocks", "structtag", "unusedresult", "shift",
            "buildtag", "testinggoroutine"} <= analyzers
    assert any("logx.Infof" in f[3] for f in linux)  # a printf wrapper: a fact
    assert not any(f[1] == 39 for f in linux)  # the path through logx.Fatal: a fact
    assert {f[0] for f in windows - linux} == {"mix_windows.go"}


# Small standard-library packages; sync/atomic's external test has vet findings (unsafeptr).
STD_PACKAGES = ("errors", "sync/atomic", "unicode/utf8")


def _in_std(path: str) -> str:
    """A standard-library file as a path inside GOROOT/src: go vet's cached output names the
    GOROOT of whichever checkout filled the shared build cache (std's cache keys do not depend
    on where GOROOT is), so absolute paths differ between checkouts sharing one GOCACHE."""
    head, sep, tail = path.rpartition("/src/")
    assert sep and head, path
    return tail


def test_named_std_packages_are_checked_as_go_vet_checks_them(
        cli: CliRunner, engine: str, go_env: dict[str, str], tmp_path: Path) -> None:
    """`--packages` naming standard-library packages checks those packages on every target
    (it used to say ok with none checked), with no type error, and vet finds what
    `go vet -json` finds."""
    out = tmp_path / "r.json"
    module = fixture("clean")
    res = cli("check", module, "--targets", SMALL_TARGETS, "--checks", "typecheck,vet",
              "--json", str(out), "--packages", *STD_PACKAGES, env=cli_env(engine, str(tmp_path)))
    assert res.code == 1, res.err  # the vet findings
    data = json.loads(out.read_text())
    assert [t["id"] for t in data["targets"]] == SMALL_TARGETS.split(",")
    seen: set[Finding] = set()
    for t in data["targets"]:
        assert {c["check"]: c["packages"] for c in t["checks"]} == {
            "typecheck": list(STD_PACKAGES), "vet": list(STD_PACKAGES)}
        diags = [d for c in t["checks"] for d in c["diagnostics"]]
        assert not [d for d in diags if d["category"] not in ("vet", "narrowing")], t["id"]
        got = {(_in_std(d["file"]), d["line"], d["col"], d["message"], d["analyzer"])
               for d in diags if d["category"] == "vet"}
        go_vet = _go_vet(Job(target=Target.parse(t["id"]), checks=("vet",)), module, go_env,
                         STD_PACKAGES)
        assert not _errors(go_vet), t["id"]
        want = {(_in_std(f[0]), *f[1:]) for f in _vet_findings(go_vet)}
        assert got == want, (t["id"], sorted(got - want), sorted(want - got))
        seen |= got
    assert {f[4] for f in seen} == {"unsafeptr"}
    assert {Path(f[0]).name for f in seen} == {"atomic_test.go"}
