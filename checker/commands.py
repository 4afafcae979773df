"""The go commands each check runs, independent of where they run (host or container)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matrix.equivalence import GOLIST_ARGS
from matrix.plan import Job


@dataclass(frozen=True, kw_only=True)
class GoCommand:
    """`go ARGS...` with target-specific environment; the executor supplies the rest."""

    args: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()

    def env_dict(self) -> dict[str, str]:
        return dict(self.env)


def _tag_args(job: Job) -> list[str]:
    return ["-tags=" + ",".join(job.tags)] if job.tags else []


# What a job's listing asks of each package: its path, and every Go file vet or build can name
# in a diagnostic (JSON, so that file names holding newlines survive).
LIST_FIELDS = ("ImportPath", "Dir", "GoFiles", "CgoFiles", "TestGoFiles", "XTestGoFiles")


def list_packages(job: Job, packages: Sequence[str]) -> GoCommand:
    return GoCommand(
        args=("list", "-e", *_tag_args(job), "-json=" + ",".join(LIST_FIELDS), *packages),
        env=tuple(sorted(job.env().items())),
    )


def list_deps(job: Job, packages: Sequence[str]) -> GoCommand:
    """`go list -deps -test` in the planner's format: each package's file selection."""
    return GoCommand(
        args=(GOLIST_ARGS[0], *_tag_args(job), *GOLIST_ARGS[1:], *packages),
        env=tuple(sorted(job.env().items())),
    )


def vet(job: Job, packages: Sequence[str]) -> GoCommand:
    """`go vet -json`: analyzer findings as JSON, type errors as text; covers _test.go files."""
    return GoCommand(
        args=("vet", "-json", *_tag_args(job), *packages),
        env=tuple(sorted(job.env().items())),
    )


def build(job: Job, packages: Sequence[str], *, json_output: bool) -> GoCommand:
    """`go build` with `-gcflags=-e` so the compiler reports every error, not the first ten.

    `-o /dev/null` discards main packages' binaries; `-gcflags` without a pattern applies to the
    named packages only, so the standard library keeps its ordinary cache entries.
    """
    args = ["build", "-gcflags=-e", "-o", "/dev/null"]
    if json_output:
        args.append("-json")
    return GoCommand(
        args=(*args, *_tag_args(job), *packages),
        env=tuple(sorted(job.env().items())),
    )
