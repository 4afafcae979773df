"""The job summary ($GITHUB_STEP_SUMMARY) and the length caps GitHub puts on Markdown.

A step summary larger than 1 MiB is rejected outright (the job shows an error instead of the
report), and a comment body is limited to 65,536 characters. A report that does not fit leaves
out whole findings, least important first, with a note that says how many and where the full
list is; the notes about annotations say "listed below" only when the summary really lists every
finding.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports import markdown
from reports.annotate import Annotations, command
from reports.markdown import truncate
from reports.results import Results

__all__ = ["COMMENT_LIMIT", "STEP_SUMMARY_LIMIT", "StepSummary", "annotation_note",
           "annotation_notice", "step_summary", "step_summary_report", "truncate"]

STEP_SUMMARY_LIMIT = 1024 * 1024  # bytes, per step
COMMENT_LIMIT = 65536  # characters
FULL_LIST = "the results JSON file (the workflow's results artifact)"
SUMMARY_CUT_NOTE = ("_The report was truncated to fit GitHub's {limit} step summary limit: {n} "
                    "finding{s} not shown; the full list is in {where}._")


def annotation_note(ann: Annotations, tail: str = "All findings are listed below.") -> str:
    if not ann.not_shown_total:
        return ""
    parts = [f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in ann.not_shown.items() if n]
    return (f"_GitHub shows at most 10 error and 10 warning annotations per step: "
            f"{' and '.join(parts)} were not annotated on the diff. {tail}_")


@dataclass(frozen=True, kw_only=True)
class StepSummary:
    text: str
    complete: bool  # every finding is in `text`


def step_summary_report(results: Results, ann: Annotations, *, limit: int = STEP_SUMMARY_LIMIT,
                        where: str = FULL_LIST) -> StepSummary:
    """The summary, cut to `limit` bytes, and whether it lists every finding."""

    def build(tail: str) -> markdown.Report:
        note = annotation_note(ann, tail)
        return markdown.build(results, notes=[note] if note else [], limit=limit - 1,
                              limit_name="1 MiB", where=where, cut_note=SUMMARY_CUT_NOTE)

    report = build("All findings are listed below.")
    if report.omitted:  # the claim would be false: say where they are instead
        report = build(f"Not every finding fits here: the full list is in {where}.")
    return StepSummary(text=report.text + "\n", complete=not report.omitted)


def step_summary(results: Results, ann: Annotations, *, limit: int = STEP_SUMMARY_LIMIT,
                 where: str = FULL_LIST) -> str:
    return step_summary_report(results, ann, limit=limit, where=where).text


def annotation_notice(ann: Annotations, *, summary_complete: bool,
                      where: str = FULL_LIST) -> str:
    """The log's one `::notice` when findings were not annotated ("" when all were). It points
    to the job summary only when the summary really lists every finding."""
    tail = ("The job summary lists every finding." if summary_complete
            else f"The full list is in {where}.")
    note = annotation_note(ann, tail)
    if not note:
        return ""
    return command("notice", note.strip("_"),
                   {"title": "crossvet: more findings than annotations"})
