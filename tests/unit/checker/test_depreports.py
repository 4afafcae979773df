"""A dependency's error that go build reports at its file takes the engine's placement: one
problem, on the go.mod line that requires the module (checker/depreports.py)."""

from __future__ import annotations

from dataclasses import replace

from checker.depreports import place_dependency_reports
from checker.model import CheckResult, Diagnostic
from reports.aggregate import aggregate
from tests.helpers.builders import target

OVERFLOW = ("cannot use math.MaxUint32 (untyped int constant 4294967295) as int value in "
            "return statement (overflows)")
ENGINE = Diagnostic(
    target="linux/386", check="typecheck", category="overflow", file="go.mod", line=6,
    message=f"example.com/dep@v0.1.0 => ../dep span/span.go:6:31: {OVERFLOW}\n"
            "imported through example.com/m/app -> example.com/dep/span",
    dependency="example.com/dep@v0.1.0", origin="/w/dep/span/span.go:6:31")
BUILD = Diagnostic(target="linux/386", check="build", category="overflow",
                   file="/w/dep/span/span.go", line=6, col=31, message=OVERFLOW)


def _checks(*build: Diagnostic) -> tuple[CheckResult, ...]:
    return (CheckResult(target="linux/386", check="build", status="fail", diagnostics=build),
            CheckResult(target="linux/386", check="typecheck", status="fail",
                        diagnostics=(ENGINE,)))


def test_builds_report_of_a_dependency_error_is_the_engines_finding() -> None:
    build, engine = place_dependency_reports(_checks(BUILD))
    (placed,) = build.diagnostics
    assert placed == replace(ENGINE, check="build")
    assert engine.diagnostics == (ENGINE,)
    (finding,) = aggregate([*build.diagnostics, *engine.diagnostics], [target("linux/386")])
    assert (finding.file, finding.line, finding.checks, finding.dependency) == (
        "go.mod", 6, ("build", "typecheck"), "example.com/dep@v0.1.0")
    assert finding.message == ENGINE.message


def test_only_the_same_error_at_the_same_place_is_placed() -> None:
    elsewhere = replace(BUILD, line=7)
    other = replace(BUILD, message="undefined: x")
    in_module = replace(BUILD, file="span/span.go")
    checks = _checks(elsewhere, other, in_module)
    assert place_dependency_reports(checks) == checks


def test_without_a_dependency_finding_nothing_changes() -> None:
    checks = (CheckResult(target="linux/386", check="build", status="fail",
                          diagnostics=(BUILD,)),)
    assert place_dependency_reports(checks) == checks
