"""`cgo: auto` (the default): a module with cgo files is also checked with cgo on, next to cgo
off, on the targets that support cgo and have a C compiler; the others are one note."""

from __future__ import annotations

from matrix.claims import ModuleFacts, SourceFile
from matrix.options import CheckOptions
from matrix.plan import Plan
from matrix.planner import PlanInputs, make_plan
from tests.unit.matrix.test_selectors import PORTS

CGO = ModuleFacts(files=(SourceFile(path="c.go", cgo=True),))
TARGETS = "linux/amd64,linux/386,darwin/arm64,js/wasm"


def _plan(facts: ModuleFacts, cgo: str = "auto", checks: tuple[str, ...] = ("typecheck", "vet"),
          vet: str = "engine") -> Plan:
    opts = CheckOptions(module_dir="/m", targets=TARGETS, cgo=cgo, checks=checks, vet=vet)
    return make_plan(opts, PlanInputs(ports=PORTS, facts=facts,
                                      c_compilers=frozenset({"linux/amd64", "linux/386"})))


def test_cgo_files_are_also_checked_with_cgo_on_where_there_is_a_c_compiler() -> None:
    plan = _plan(CGO)
    assert [j.name for j in plan.jobs] == ["linux/amd64", "linux/amd64 +cgo", "linux/386",
                                           "linux/386 +cgo", "darwin/arm64", "js/wasm"]
    notes = [n for n in plan.notes if "cgo" in n]
    assert notes == ["cgo not checked on darwin/arm64: no C compiler; install crossvet[cgo] or "
                     "set CC_FOR_<goos>_<goarch> (the module has cgo files: checked there with "
                     "cgo off only)"]  # js/wasm: its port has no cgo


def test_cgo_jobs_of_auto_run_the_engines_checks_only() -> None:
    """build and `go vet` would need the target's C library (minutes per target with zig)."""
    plan = _plan(CGO, checks=("typecheck", "vet", "build"))
    assert {j.name: j.checks for j in plan.jobs if j.cgo} == {
        "linux/amd64 +cgo": ("typecheck", "vet"), "linux/386 +cgo": ("typecheck", "vet")}
    plan = _plan(CGO, checks=("vet", "build"), vet="go")
    assert not [j for j in plan.jobs if j.cgo]


def test_without_cgo_files_or_with_cgo_off_nothing_changes() -> None:
    for plan in (_plan(ModuleFacts()), _plan(CGO, cgo="off")):
        assert [j.name for j in plan.jobs] == TARGETS.split(",")
        assert not [n for n in plan.notes if "cgo" in n]


def test_the_note_says_what_to_do_where_the_plan_runs() -> None:
    opts = CheckOptions(module_dir="/m", targets="darwin/arm64", cgo="auto")
    plan = make_plan(opts, PlanInputs(ports=PORTS, facts=CGO, no_c_compiler="none in a box"))
    assert [n for n in plan.notes if "cgo" in n] == [
        "cgo not checked on darwin/arm64: no C compiler; none in a box (the module has cgo "
        "files: checked there with cgo off only)"]


def test_a_cgo_file_no_build_includes_makes_no_cgo_job() -> None:
    """x/sys's `unix/types_*.go` (`//go:build ignore`, inputs of cgo -godefs) and a line no port
    satisfies: not a cgo module, no `+cgo` job, no note."""
    for build in ("ignore", "ignore && linux", "linux && windows", "amd64 && 386"):
        facts = ModuleFacts(files=(SourceFile(path="types_linux.go", build=build, cgo=True),))
        assert not facts.cgo, build
        plan = _plan(facts)
        assert [j.name for j in plan.jobs] == TARGETS.split(","), build
        assert not [n for n in plan.notes if "cgo" in n], build


def test_a_cgo_file_makes_cgo_jobs_only_on_the_targets_that_build_it() -> None:
    darwin = ModuleFacts(files=(SourceFile(path="c_darwin.go", cgo=True),
                                SourceFile(path="gen.go", build="ignore", cgo=True)))
    assert darwin.cgo
    plan = _plan(darwin)
    assert not [j for j in plan.jobs if j.cgo]  # linux builds no cgo file; darwin has no cc
    assert [n for n in plan.notes if "cgo" in n] == [
        "cgo not checked on darwin/arm64: no C compiler; install crossvet[cgo] or set "
        "CC_FOR_<goos>_<goarch> (the module has cgo files: checked there with cgo off only)"]
    linux32 = ModuleFacts(files=(SourceFile(path="c.go", build="linux && (386 || arm)",
                                            cgo=True),))
    assert [j.name for j in _plan(linux32).jobs if j.cgo] == ["linux/386 +cgo"]
