"""The plan: the exact list of jobs (target x tags x cgo) and the checks each runs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from matrix.targets import Target


@dataclass(frozen=True, kw_only=True)
class Job:
    """One configuration to check. `name` is what reports call it (e.g. `linux/386`)."""

    target: Target
    checks: tuple[str, ...]
    tags: tuple[str, ...] = ()
    cgo: bool = False
    go_version: str = ""
    aliases: tuple[str, ...] = ()  # other names this job stands for (merged equivalent jobs)

    @property
    def name(self) -> str:
        name = self.target.id
        if self.tags:
            name += " [" + ",".join(self.tags) + "]"
        if self.cgo:
            name += " +cgo"
        if self.go_version:
            name += f" @go{self.go_version}"
        return name

    @property
    def slug(self) -> str:
        """An artifact- and file-name-safe form of the name, e.g. `linux-386`."""
        out = []
        for ch in self.name.replace("/", "-").replace(" ", "-"):
            out.append(ch if ch.isalnum() or ch in "-_." else "")
        return "".join(out).strip("-")

    def env(self) -> dict[str, str]:
        env = self.target.env()
        env["CGO_ENABLED"] = "1" if self.cgo else "0"
        return env


@dataclass(frozen=True, kw_only=True)
class Plan:
    jobs: tuple[Job, ...]
    packages: tuple[str, ...] = ("./...",)
    notes: tuple[str, ...] = field(default=())  # e.g. which jobs were merged and why
    # Jobs merged into an equivalent job of `jobs` (each names that job in its `aliases`):
    # not run, but reported under their own names too (see matrix/equivalence.py).
    merged: tuple[Job, ...] = field(default=())
    # Every job name (run or merged) in plan order: the order results are reported in.
    order: tuple[str, ...] = field(default=())

    @property
    def checks(self) -> tuple[str, ...]:
        seen: list[str] = []
        for job in self.jobs:
            seen.extend(c for c in job.checks if c not in seen)
        return tuple(seen)


def sort_key(goos: str, goarch: str, variant: str, tags: Sequence[str], *, cgo: bool,
             go_version: str) -> tuple[object, ...]:
    """The canonical order of jobs and of target results."""
    return (goos, goarch, variant, len(tags), tuple(tags), cgo, go_version)
