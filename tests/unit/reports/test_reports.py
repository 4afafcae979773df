"""JUnit XML and Markdown rendered from results (pure)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import junitparser
from hypothesis import given
from hypothesis import strategies as st
from tabulate import tabulate

from crossvet.pipeline import exit_code
from matrix.plan import Job, Plan
from matrix.targets import Target
from reports import junit, markdown, plan_table, sarif, terminal
from reports.results import Results, from_text, to_text
from tests.helpers.builders import diag, overflow_results, target


def test_junit_has_a_suite_per_target_and_failures_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "r.xml"
    path.write_text(junit.render(overflow_results()))
    xml = junitparser.JUnitXml.fromfile(str(path))
    suites = {s.name: s for s in xml}
    assert list(suites) == ["linux/amd64", "linux/386", "linux/arm", "windows/386"]
    assert suites["linux/amd64"].failures == 0
    assert suites["linux/amd64"].tests == 2  # vet and build of one package
    s386 = suites["linux/386"]
    assert s386.failures == 2
    failed = [c for c in s386 if c.result]
    assert {c.name for c in failed} == {"vet example.com/overflow/s3",
                                        "build example.com/overflow/s3"}
    case = failed[0]
    assert case._elem.get("file") == "s3/minio.go"
    assert case._elem.get("line") == "14"
    (failure,) = case.result
    assert "overflows" in failure.message
    assert "s3/minio.go:14:51" in (failure.text or "")


def test_junit_keeps_every_failure_of_a_case_and_reports_run_errors(tmp_path: Path) -> None:
    t = target("linux/386", diag("linux/386"), diag("linux/386", line=20, col=1, message="x"),
               checks=("build",))
    broken = target("windows/386", error="go build timed out after 1s and was killed",
                    checks=("build",))
    res = Results(targets=(t, broken), checks=("build",))
    path = tmp_path / "r.xml"
    path.write_text(junit.render(res))
    xml = junitparser.JUnitXml.fromfile(str(path))
    s386, swin = list(xml)
    (case,) = [c for c in s386 if c.result]
    assert len(case.result) == 2
    assert swin.errors == 1


def test_a_run_stopped_while_planning_is_an_error_in_every_report(tmp_path: Path) -> None:
    """No targets and a top-level error: never read as a pass, and the round trip keeps it."""
    why = "`go list -m` (planning) timed out after 2s and was killed"
    res = from_text(to_text(Results(targets=(), checks=("typecheck",), error=why)))
    assert res.error == why
    path = tmp_path / "r.xml"
    path.write_text(junit.render(res))
    (suite,) = junitparser.JUnitXml.fromfile(str(path))
    assert (suite.name, suite.errors) == ("crossvet", 1)
    assert markdown.headline(res) == "⚠️ crossvet could not check any target"
    assert terminal.summary(res).endswith(f"could not check:\n    {why}\n\nno target was "
                                          "checked\n")
    stopped = Results(targets=(), checks=("vet",), error="interrupted while planning",
                      interrupted=True)
    assert terminal.summary(stopped).endswith(
        "\nno target was checked (interrupted: results are partial)\n")
    (run,) = sarif.render(res)["runs"]
    assert run["invocations"][0]["executionSuccessful"] is False
    assert exit_code(res) == 3


def test_markdown_table_and_findings_grouped_by_category() -> None:
    text = markdown.render(overflow_results())
    assert "❌ crossvet: 1 problem on 3 of 4 targets" in text
    table = [line for line in text.splitlines() if line.startswith("|")]
    cells = [[c.strip() for c in row.strip("|").split("|")] for row in table]
    assert cells[0] == ["target", "vet", "build", "problems"]
    assert cells[2] == ["`linux/amd64`", "✅ ok", "✅ ok", "0"]
    assert cells[3] == ["`linux/386`", "❌ fail", "❌ fail", "1"]
    assert "### Constant overflows (1)" in text
    assert "breaks on: `linux/386`, `linux/arm`, `windows/386`" in text


def test_markdown_folds_long_target_lists() -> None:
    ids = [f"linux/arch{i}" for i in range(8)]
    res = Results(targets=tuple(target(t, diag(t)) for t in ids), checks=("vet", "build"))
    text = markdown.render(res)
    assert "<details><summary>8 targets</summary>" in text


def test_the_same_error_on_many_targets_is_listed_once_with_what_it_stopped() -> None:
    offline = "a required module could not be downloaded (module lookup disabled by GOPROXY=off)"
    res = Results(targets=(target("linux/386", error=offline), target("linux/amd64"),
                           target("windows/386", error=offline),
                           target("linux/arm", error="go vet timed out", checks=("vet",))),
                  checks=("vet", "build"))
    assert [(n.error, n.where, n.single) for n in res.not_checked] == [
        (offline, ((("vet", "build"), ("linux/386", "windows/386")),), None),
        ("go vet timed out", ((("vet",), ("linux/arm",)),), ("linux/arm", "vet"))]
    text = terminal.summary(res)
    assert (f"\ncould not check:\n    {offline}\n        vet, build on 2 targets: linux/386, "
            "windows/386\n    linux/arm: vet: go vet timed out\n\n") in text
    md = markdown.render(res)
    assert "- `linux/arm` vet: go vet timed out" in md
    assert "  - vet, build on `linux/386`, `windows/386`" in md
    assert md.count("module lookup disabled") == 1


def test_a_finding_without_position_reads_plainly() -> None:
    msg = "android/arm requires external (cgo) linking, but cgo is not enabled"
    t = target("android/arm", diag("android/arm", check="vet", category="other", file="",
                                   line=0, col=0, message=msg))
    res = Results(targets=(t,), checks=("vet", "build"))
    assert f"- **other**: {msg}" in markdown.render(res)
    assert f"error [other] {msg}" in terminal.summary(res)


def test_counts_read_right_for_one_and_for_none() -> None:
    one = Results(targets=(target("linux/386", checks=("vet",)),), checks=("vet",),
                  go="go1.27.3", module="m")
    assert terminal.summary(one).rstrip().endswith(
        "0 findings on 1 target: 1 ok, 0 failing, 0 not checked")
    for res in (one, overflow_results()):  # one blank line between parts, never two
        assert "\n\n\n" not in terminal.summary(res)
    assert terminal.header((), "go1.27.3", 2) == "crossvet: no targets to check (with go1.27.3)"
    job = Job(target=Target.parse("linux/386"), checks=("vet",))
    assert terminal.header((job,), "go1.27.3", 2).startswith("crossvet: 1 target x vet with")


def test_the_running_line_names_the_longest_running_first_and_fits_the_width() -> None:
    running = {"linux/arm": 95.0, "linux/386": 88.0, "typecheck (4 targets)": 99.0}
    assert terminal.running_line(running, 100.0, 80) == (
        "running: linux/386 12s, linux/arm 5s, typecheck (4 targets) 1s")
    assert terminal.running_line(running, 100.0, 40) == "running: linux/386 12s and 2 more"
    assert terminal.running_line({}, 100.0, 80) == ""


def test_the_plan_table_keeps_a_column_only_when_some_job_fills_it() -> None:
    plain = Job(target=Target.parse("linux/386"), checks=("vet",))
    tagged = Job(target=Target.parse("linux/amd64"), checks=("vet",), tags=("netgo",))
    bare = plan_table.table(Plan(jobs=(plain,), packages=("./...",)))
    assert bare.splitlines()[2].split() == ["target", "checks"]
    both = plan_table.table(Plan(jobs=(plain, tagged), packages=("./...",)))
    assert both.splitlines()[2].split() == ["target", "tags", "checks"]
    assert both.splitlines()[4].split() == ["linux/386", "-", "vet"]


_CELL = st.from_regex(r"[a-z][a-z0-9/._-]{0,14}", fullmatch=True).filter(
    lambda s: s.lower() not in ("inf", "nan", "infinity"))  # what tabulate would read as numbers


@given(st.integers(1, 5).flatmap(lambda n: st.tuples(
    st.lists(st.from_regex(r"[a-z]{1,10}", fullmatch=True), min_size=n, max_size=n),
    st.lists(st.booleans(), min_size=n, max_size=n))).flatmap(lambda hk: st.tuples(
        st.just(hk[0]), st.lists(st.tuples(*(st.integers(0, 99999) if k else _CELL
                                               for k in hk[1])), min_size=1, max_size=6))))
def test_the_status_table_is_drawn_as_tabulate_draws_it(table: tuple[list[str], list[Any]]
                                                        ) -> None:
    """terminal.simple_table stands in for tabulate's "simple" format (tabulate imports
    importlib.metadata, too slow for a warm run's start): the same text for such cells."""
    headers, rows = table
    assert terminal.simple_table(headers, rows) == tabulate(rows, headers=headers,
                                                            tablefmt="simple")
