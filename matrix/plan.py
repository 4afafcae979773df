"""The plan: the exact list of jobs (target x tags x cgo) and the checks each runs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from matrix.targets import Target

MODULE_SEP = ":"  # `app:linux/386`: a job of module app (targets and tags never hold a `:`)


def split_name(name: str) -> tuple[str, str]:
    """`app:linux/386 [netgo]` -> ('app', 'linux/386 [netgo]'); a name without a module -> ''."""
    module, sep, rest = name.rpartition(MODULE_SEP)
    return (module, rest) if sep else ("", name)


@dataclass(frozen=True, kw_only=True)
class Job:
    """One configuration to check. `name` is what reports call it (e.g. `linux/386`)."""

    target: Target
    checks: tuple[str, ...]
    tags: tuple[str, ...] = ()
    cgo: bool = False
    go_version: str = ""
    aliases: tuple[str, ...] = ()  # other names this job stands for (merged equivalent jobs)
    # In a run of several modules (matrix/modules.py): the module's directory relative to the
    # checked root (`.` for the root), and its package patterns when they differ from the
    # plan's. Empty for a run of one module, whose names and results stay as they were.
    module: str = ""
    packages: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        name = (self.module + MODULE_SEP if self.module else "") + self.target.id
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
        name = "root" + self.name[1:] if self.module == "." else self.name
        for ch in name.replace("/", "-").replace(" ", "-").replace(MODULE_SEP, "-"):
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

    def packages_of(self, job: Job) -> tuple[str, ...]:
        """The package patterns `job` checks (its module's, when they differ from the plan's)."""
        return job.packages or self.packages

    @property
    def modules(self) -> tuple[str, ...]:
        """The module directories of a run of several modules, in plan order (else empty)."""
        return tuple(dict.fromkeys(j.module for j in (*self.jobs, *self.merged) if j.module))

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
