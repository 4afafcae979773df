"""Comparing with a baseline: new/existing/fixed, the exit code, and every report's split."""

from __future__ import annotations

from dataclasses import replace

from checker.model import Suppressed
from crossvet.pipeline import exit_code
from reports import annotate, baseline, comment, junit, markdown, sarif, terminal
from reports.merge import merge
from reports.results import Results, from_text, to_text
from tests.helpers.builders import diag, target

TARGETS = ("linux/amd64", "linux/386")


def run(*lines: int, suppressed: int = 0) -> Results:
    """Overflows at the given lines on linux/386 (each line's own source context)."""
    ds = [diag("linux/386", line=n, context=f"ctx{n}",
               suppressed=Suppressed(by="a.go:1", reason="r") if n == suppressed else None)
          for n in lines]
    return Results(targets=(target("linux/amd64"), target("linux/386", *ds)),
                   checks=("vet", "build"))


def test_new_existing_and_fixed() -> None:
    base = run(14, 30)
    now = baseline.compare(run(14, 21), base, source="base.json")
    assert [(f.line, f.baseline) for f in now.findings] == [(14, "existing"), (21, "new")]
    assert [e.location for e in now.fixed] == ["s3/minio.go:30:51"]
    assert baseline.split_line(now) == "1 new, 1 existing (unchanged), 1 fixed"
    s = now.summary
    assert (s["findings"], s["new"], s["existing"], s["fixed"]) == (2, 1, 1, 1)
    again = from_text(to_text(now))  # the states and the fixed list survive the file
    assert again.findings == now.findings and again.fixed == now.fixed


def test_a_line_shift_is_not_new_and_a_second_copy_is() -> None:
    base = run(14)
    moved = Results(targets=(target("linux/386", diag("linux/386", line=40, context="ctx14")),),
                    checks=("vet", "build"))
    now = baseline.compare(moved, base, source="b")
    assert [f.baseline for f in now.findings] == ["existing"] and now.fixed == ()
    twice = Results(targets=(target("linux/386", diag("linux/386", line=40, context="ctx14"),
                                    diag("linux/386", line=41, context="ctx14")),),
                    checks=("vet", "build"))
    assert sorted(f.baseline for f in baseline.compare(twice, base, source="b").findings) == \
        ["existing", "new"]


def test_not_fixed_when_its_target_was_not_checked() -> None:
    base = run(14)
    broken = Results(targets=(target("linux/amd64"), target("linux/386", error="timeout")),
                     checks=("vet", "build"))
    assert baseline.compare(broken, base, source="b").fixed == ()


def test_exit_code_counts_what_fail_on_says() -> None:
    only_old = baseline.compare(run(14), run(14), source="b")
    assert exit_code(only_old) == 0
    assert exit_code(only_old, fail_on="findings") == 1
    with_new = baseline.compare(run(14, 21), run(14), source="b")
    assert exit_code(with_new) == 1 and exit_code(with_new, fail_on="never") == 0
    assert exit_code(run(14)) == 1  # no baseline: every finding is new
    assert exit_code(run(14, suppressed=14)) == 0  # suppressed ones never count
    assert exit_code(run(14, suppressed=14), fail_on="findings") == 0
    broken = Results(targets=(target("linux/386", error="timeout"),), checks=("vet", "build"))
    assert exit_code(broken, fail_on="never") == 3  # never means findings, not errors
    assert exit_code(replace(run(), interrupted=True), fail_on="never") == 130


def test_reports_lead_with_new_and_fold_the_rest() -> None:
    now = baseline.compare(run(14, 21, 40, suppressed=40), run(14, 30), source="base.json")
    text = terminal.summary(now)
    assert text.index("s3/minio.go:21:51") < text.index("1 existing (in the baseline base.json)")
    assert text.index("1 existing") < text.index("s3/minio.go:14:51")
    assert "1 fixed (in the baseline, gone now)" in text and "1 suppressed:" in text
    assert "1 new, 1 existing (unchanged), 1 fixed; 1 suppressed" in text
    md = markdown.render(now)
    assert "**1 new, 1 existing (unchanged), 1 fixed**" in md
    assert md.index("s3/minio.go:21:51") < md.index("<details><summary>1 existing finding")
    assert md.index("<details><summary>1 existing finding") < md.index("s3/minio.go:14:51")
    assert "### Fixed (1)" in md and "<details><summary>1 suppressed finding</summary>" in md
    assert "❌ crossvet: 1 new problem on 1 of 2 targets (1 existing)" in md
    lines = annotate.annotate(now).lines
    assert len(lines) == 1 and "line=21" in lines[0]  # only the new one
    body = comment.render(now)
    assert "1 new, 1 existing (unchanged), 1 fixed" in body
    log = sarif.render(now)
    states = {r["locations"][0]["physicalLocation"]["region"]["startLine"]:
              (r.get("baselineState"), r.get("suppressions"))
              for r in log["runs"][0]["results"]}
    assert states[21] == ("new", None) and states[14] == ("unchanged", None)
    assert states[40] == ("new", [{"kind": "inSource", "justification": "r"}])


def test_comment_fixed_list_uses_fingerprints() -> None:
    before = comment.previous(comment.render(run(14, 21)))
    # line 21's problem is gone; line 14's moved to line 60 but is the same code
    moved = Results(targets=(target("linux/386", diag("linux/386", line=60, context="ctx14")),),
                    checks=("vet", "build"))
    body = comment.render(moved, before=before)
    assert "### Fixed since the last run (1)" in body and "s3/minio.go:21:51" in body
    assert "_Since the last run: 0 new, 1 fixed._" in body


def test_the_baseline_file_has_no_timings() -> None:
    written = baseline.for_file(run(14))
    assert {c.duration for t in written.targets for c in t.checks} == {0.0}
    assert written.findings == run(14).findings


def test_junit_keeps_suppressed_problems_out_of_the_failures() -> None:
    xml = junit.render(run(14, 21, suppressed=21))
    assert xml.count("<failure") == 1  # line 14; not line 21
    assert "(suppressed by a.go:1: r)" in xml


def test_shards_compared_with_their_own_part_of_rev_merge_into_one_baseline() -> None:
    def shard(i: int, tid: str, base_lines: tuple[int, ...], *lines: int) -> Results:
        ds = [diag(tid, line=n, context=f"ctx{n}") for n in lines]
        part = Results(targets=(target(tid, *ds),), checks=("vet", "build"), shard=f"{i}/2",
                       plan_order=("linux/386", "linux/arm"))
        base = Results(targets=(target(tid, *[diag(tid, line=n, context=f"ctx{n}")
                                              for n in base_lines]),), checks=("vet", "build"))
        return baseline.compare(part, base, source="HEAD~1 (abc)")

    merged = merge([("a", shard(1, "linux/386", (14,), 14)),
                    ("b", shard(2, "linux/arm", (30,), 30, 21))])
    assert sorted((f.line, f.baseline) for f in merged.findings) == [
        (14, "existing"), (21, "new"), (30, "existing")]
