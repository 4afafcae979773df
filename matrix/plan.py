"""The plan: the exact list of jobs (target x tags x cgo) and the checks each runs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from matrix.targets import Target

MODULE_SEP = ":"  # `app:linux/386`: a job of module app (targets and tags never hold a `:`)


def qualified(module: str, target_id: str) -> str:
    """A job's name, unique in its plan: its target id, after its module's directory in a run
    of several modules (`app:linux/386`). Made from the two, never taken apart again: whoever
    needs the module or the target keeps them as data (Job, reports/results.py TargetResult)."""
    return (module + MODULE_SEP if module else "") + target_id


@dataclass(frozen=True, kw_only=True)
class Job:
    """One configuration to check: a module's target, tags, cgo setting and Go version, as data.
    `target_id` is what reports call it within its module (`linux/386 [netgo] +cgo`), the same
    in a run of one module and of several; `name` is its key in the plan and the checkers."""

    target: Target
    checks: tuple[str, ...]
    tags: tuple[str, ...] = ()
    cgo: bool = False
    go_version: str = ""
    # The target ids of equivalent jobs of the same module this job stands for (merged jobs,
    # matrix/equivalence.py); a merged job's holds the one job it runs as.
    aliases: tuple[str, ...] = ()
    # In a run of several modules (matrix/modules.py): the module's directory relative to the
    # checked root (`.` for the root), and its package patterns when they differ from the
    # plan's. Empty for a run of one module, whose names and results stay as they were.
    module: str = ""
    packages: tuple[str, ...] = ()

    @property
    def target_id(self) -> str:
        """`linux/386 [netgo,osusergo] +cgo @go1.22`: the target, tags, cgo and Go version."""
        name = self.target.id
        if self.tags:
            name += " [" + ",".join(self.tags) + "]"
        if self.cgo:
            name += " +cgo"
        if self.go_version:
            name += f" @go{self.go_version}"
        return name

    @property
    def name(self) -> str:
        return qualified(self.module, self.target_id)

    @property
    def alias_names(self) -> tuple[str, ...]:
        """The names (plan keys) of the jobs in `aliases`."""
        return tuple(qualified(self.module, a) for a in self.aliases)

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
    # job name -> why its target is in the plan ("first-class", "lock_plan9.go", ...), for the
    # targets of the `claimed` preset (matrix/claims.py) and the selectors beside it.
    why: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())

    def why_of(self, name: str) -> tuple[str, ...]:
        return next((w for n, w in self.why if n == name), ())

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
