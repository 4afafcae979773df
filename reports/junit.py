"""JUnit XML: a testsuite per target (per module x target in a run of several modules, named
`app:linux/386` with a `module` property), a testcase per package and check.

junit-xml 1.9 drops a failure that has neither message nor output, and drops `line=0`; every
failure here carries a message and output, and a line only when one is known.

Times: a check runs once per target for all its packages, so its duration (wall time) is split
evenly across that check's test cases (one per package, plus the "(run)" case when the check
could not run). A suite's time is then the sum of its checks' durations, and a check that took
no measurable time gives 0.
"""

from __future__ import annotations

from collections.abc import Sequence

from junit_xml import TestCase, TestSuite, to_xml_report_string

from checker.model import CheckResult, Diagnostic
from reports.results import Results, TargetResult


def _package_of(d: Diagnostic, packages: Sequence[str]) -> str:
    if d.package:
        return d.package
    return "(module)" if d.file or not packages else "(go)"


def _case(target: TargetResult, check: CheckResult, package: str,
          diags: Sequence[Diagnostic], seconds: float) -> TestCase:
    case = TestCase(name=f"{check.check} {package}", classname=f"{target.name}.{check.check}",
                    elapsed_sec=seconds, allow_multiple_subelements=True)
    errors = [d for d in diags if d.severity == "error" and d.suppressed is None]
    for d in errors:
        loc = f"{d.file}:{d.line}:{d.col}" if d.file else ""
        message = f"[{d.category}] {d.message}"
        case.add_failure_info(message=message, output=f"{loc}: {d.message}" if loc else d.message,
                              failure_type=d.category)
    first = next((d for d in errors if d.file), None)
    if first is not None:
        case.file = first.file
        if first.line:
            case.line = first.line
    notes = [f"{d.file}:{d.line}:{d.col}: {d.message}" for d in diags
             if d.severity == "warning" and d.suppressed is None]
    notes += [f"{d.file}:{d.line}:{d.col}: {d.message} (suppressed by {d.suppressed.by}: "
              f"{d.suppressed.reason})" for d in diags if d.suppressed is not None]
    if notes:
        case.stdout = "\n".join(notes)
    return case


def suite(target: TargetResult) -> TestSuite:
    cases: list[TestCase] = []
    for check in target.checks:
        by_pkg: dict[str, list[Diagnostic]] = {p: [] for p in check.packages}
        for d in check.diagnostics:
            by_pkg.setdefault(_package_of(d, check.packages), []).append(d)
        # milliseconds, as the results JSON keeps them: `report` rebuilds the same file
        share = round(max(check.duration, 0.0), 3) / ((len(by_pkg) + bool(check.error)) or 1)
        if check.error:
            case = TestCase(name=f"{check.check} (run)", classname=f"{target.name}.{check.check}",
                            elapsed_sec=share, allow_multiple_subelements=True)
            case.add_error_info(message=check.error, output=check.error, error_type="crossvet")
            cases.append(case)
        for pkg in sorted(by_pkg):
            cases.append(_case(target, check, pkg, by_pkg[pkg], share))
    return TestSuite(name=target.name, test_cases=cases,
                     properties={"goos": target.goos, "goarch": target.goarch,
                                 "status": target.status,
                                 **({"module": target.module} if target.module else {})})


def _stopped(error: str) -> TestSuite:
    """A run that stopped while planning (no targets): one error, so that no CI reads the
    report as a pass."""
    case = TestCase(name="planning", classname="crossvet", allow_multiple_subelements=True)
    case.add_error_info(message=error, output=error, error_type="crossvet")
    return TestSuite(name="crossvet", test_cases=[case])


def render(results: Results) -> str:
    suites = [*([_stopped(results.error)] if results.error else []),
              *(suite(t) for t in results.targets)]
    return str(to_xml_report_string(suites, prettyprint=True, encoding="utf-8"))
