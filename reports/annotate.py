"""GitHub Actions workflow commands: `::error`/`::warning` annotations, one per finding.

GitHub shows at most 10 error and 10 warning annotations per step, so the most important come
first (findings are already sorted: compile failures, then overflows, then vet) and the rest are
counted, so the step summary can say how many were not annotated.

Escaping follows @actions/core: in a message `%`, CR and LF are percent-encoded; in a property
value `:` and `,` are too (they separate properties).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol, TextIO, runtime_checkable

from reports.aggregate import Finding
from reports.baseline import sections
from reports.paths import repo_path
from reports.results import Results

LIMIT_PER_STEP = 10  # per severity, per step: GitHub drops the rest
# setup-go registers a problem matcher (owner "go") that turns raw compiler lines in the log into
# annotations; they would duplicate ours and use up the 10 per step.
REMOVE_GO_MATCHER = "::remove-matcher owner=go::"
TITLE_TARGETS = 3  # targets named in a title; the message names them all


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, properties: Mapping[str, str | int] | None = None) -> str:
    """One workflow command line, e.g. `::error file=a.go,line=3::msg`."""
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in (properties or {}).items()
                     if v not in ("", 0))
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


@runtime_checkable
class CommandLog(Protocol):
    """A stream that tells crossvet's own workflow commands from echoed text
    (crossvet/console.py's GuardedStream, in GitHub Actions)."""

    def command(self, line: str) -> None: ...


def emit(out: TextIO, line: str) -> None:
    """Write one of crossvet's own workflow commands (a line from `command`). Every command
    crossvet means goes through here; everything else written to the log is echoed text."""
    if isinstance(out, CommandLog):
        out.command(line)
    else:
        out.write(line + "\n")


def _title(f: Finding) -> str:
    """`crossvet overflow: breaks on linux/386, ...`; in a run of several modules
    `crossvet overflow in calc: breaks on linux/386, ...` (calc's targets)."""
    names = list(f.targets)
    shown = ", ".join(names[:TITLE_TARGETS])
    more = len(f.targets) - TITLE_TARGETS
    where = shown + (f" +{more} more" if more > 0 else "")
    verb = "breaks on" if f.severity == "error" else "on"
    module = f" in {f.module}" if f.module else ""
    return f"crossvet {f.title}{module}: {verb} {where}"


def annotation(f: Finding, prefix: str) -> str:
    verb = "Breaks on" if f.severity == "error" else "Reported on"
    message = f"{f.message}\n{verb}: {', '.join(f.targets)}"
    if f.explanation:
        message += f"\n{f.explanation}"
    file = repo_path(f.file, prefix)
    props: dict[str, str | int] = {"file": file}
    if file:
        props.update(line=f.line, col=f.col)
    props["title"] = _title(f)
    return command("error" if f.severity == "error" else "warning", message, props)


@dataclass(frozen=True, kw_only=True)
class Annotations:
    lines: tuple[str, ...]
    not_shown: Mapping[str, int]  # severity -> findings beyond the per-step limit

    @property
    def not_shown_total(self) -> int:
        return sum(self.not_shown.values())


def annotate(results: Results, *, prefix: str = "", limit: int = LIMIT_PER_STEP) -> Annotations:
    """The annotation commands for a run, at most `limit` per severity, most important first."""
    lines: list[str] = []
    used = {"error": 0, "warning": 0}
    skipped = {"error": 0, "warning": 0}
    if results.not_checked:  # the run is incomplete: say so first, once, each error once
        used["error"] += 1
        n = len({name for why in results.not_checked for _, names in why.where for name in names})
        said = [f"{why.single[0]} {why.single[1]}: {why.error}" if why.single else
                "\n".join([why.error, *(f"  {', '.join(checks)} on {', '.join(names)}"
                                        for checks, names in why.where)])
                for why in results.not_checked]
        lines.append(command("error", "\n".join(said),
                             {"title": f"crossvet could not check {n} target{'s' * (n != 1)}"}))
    for f in sections(results).new:  # existing and suppressed findings are not annotated
        severity = "error" if f.severity == "error" else "warning"
        if used[severity] >= limit:
            skipped[severity] += 1
            continue
        used[severity] += 1
        lines.append(annotation(f, prefix))
    for u, targets in results.unused_rules:
        if used["warning"] >= limit:
            skipped["warning"] += 1
            continue
        used["warning"] += 1
        lines.append(command("warning", f"The suppression at {u.by} ({u.rule}) matched nothing "
                             f"on the targets it applies to: {', '.join(targets)}. Remove it.",
                             {"title": "crossvet: unused suppression"}))
    return Annotations(lines=tuple(lines), not_shown=skipped)
