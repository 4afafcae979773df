"""Where the go commands run: one Protocol, and a name -> backend table.

A backend is opened for a whole run (a context manager: the container backend removes its
containers when the block ends) and serves everything that runs `go`: the planner's probes
(checker/probe.py), each job's vet and build (checker/vetbuild.py, through an Executor per job)
and the type-check engine (checker/typecheck.py). So planning and checking are the same for every
runner, and a new runner is one module with an `open_backend` and an entry in BACKENDS.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Final, Protocol

from checker import local
from checker.commands import GoCommand
from checker.engine_build import EngineSite, Notify, quiet
from checker.proc import OnLine, ProcessGroup, ProcResult
from matrix.errors import UsageError
from matrix.options import CheckOptions
from matrix.plan import Job


class Executor(Protocol):
    """Runs go commands for one job, in `workdir` (its module's directory). Findings' paths are
    made relative to `module_dir`: the checked root, which is the module itself in a run of one
    module and the repository (or workspace) root in a run of several."""

    @property
    def module_dir(self) -> str: ...

    @property
    def workdir(self) -> str: ...

    @property
    def version(self) -> tuple[int, int, int]: ...

    def go(self, cmd: GoCommand, *, timeout: float | None) -> ProcResult: ...


class Backend(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def module_dir(self) -> str:
        """The module root as go sees it (paths in go's output are relative to it)."""

    @property
    def go_version(self) -> str:
        """The Go version(s) in use, for people: `go1.27.3`."""

    @property
    def notes(self) -> tuple[str, ...]:
        """What opening the backend did that the user should know (one line each)."""

    def usable_versions(self, requested: Sequence[str]) -> tuple[str, ...]:
        """The `go_versions` this backend can check with (UsageError if none)."""

    def has_c_compiler(self, goos: str, goarch: str) -> bool:
        """Whether its engine gets a C compiler for goos/goarch (checker/cc.py): cgo's real
        output is checked there (`cgo: auto` plans cgo on for such targets)."""

    def go(self, cmd: GoCommand, *, go_version: str = "",
           timeout: float | None) -> ProcResult:
        """One go command outside any job (the planner's probes)."""

    def settle(self, modules: Sequence[str], gowork: str = "") -> None:
        """The modules the run checks are known (crossvet/pipeline.py probe_modules, before
        any plan): their directories (() for a run of one module), and `gowork`, the go.work
        every later go command and the engine use (GOWORK, a host path whose directories are
        as this backend sees them, `module_dir`): a workspace without the modules the run
        leaves out; "" for the checked tree's own. The container backend downloads the
        modules' requirements here, in that workspace."""

    def executor(self, job: Job) -> AbstractContextManager[Executor]:
        """Where `job`'s go commands run, for as long as its checks run."""

    def engine(self, go_version: str = "", *, notify: Notify = quiet) -> EngineSite:
        """The type-check engine for that Go version, built if needed."""

    def run_engine(self, site: EngineSite, request: Mapping[str, object], *,
                   go_version: str = "", timeout: float | None,
                   on_line: OnLine | None = None) -> ProcResult:
        """Run the engine on a request; its JSON answer is on stdout, and `on_line` is told
        each line of it as the engine writes it (checker/typecheck.py reads its events)."""


Opener = Callable[[CheckOptions, Mapping[str, str], ProcessGroup],
                  AbstractContextManager[Backend]]

def _open_docker(opts: CheckOptions, env: Mapping[str, str],
                 group: ProcessGroup) -> AbstractContextManager[Backend]:
    # Imported on use: the Docker SDK (and requests under it) took half of a warm local run's
    # 0.4 s just to import.
    from checker.docker import session  # noqa: PLC0415 (deliberately lazy)

    if opts.analyzers and opts.vet == "engine":
        raise UsageError("analyzers: runs with the local runner only for now (docs/lint.md)")
    return session.open_backend(opts, env, group)


BACKENDS: Final[dict[str, Opener]] = {
    local.NAME: local.open_backend,
    "docker": _open_docker,
}


def open_backend(opts: CheckOptions, env: Mapping[str, str],
                 group: ProcessGroup) -> AbstractContextManager[Backend]:
    try:
        opener = BACKENDS[opts.runner]
    except KeyError:
        raise UsageError(f"unknown runner {opts.runner!r}; valid runners: "
                         f"{', '.join(BACKENDS)}") from None
    return opener(opts, env, group)
