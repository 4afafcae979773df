"""The local backend: go runs as a subprocess on this machine, in the module directory, with the
caller's environment and the toolchain found on PATH (or --go)."""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager

if sys.platform != "win32":
    import resource

from checker import cc, engine_build, proc, toolchain
from checker.commands import GoCommand
from checker.engine_build import EngineSite
from checker.toolchain import Toolchain, go_env
from matrix import lint
from matrix.checks import engine_checks
from matrix.errors import UsageError
from matrix.options import CheckOptions
from matrix.plan import Job

NAME = "local"


class LocalExecutor:
    """Runs `go` as a subprocess in the module directory, with the caller's environment."""

    def __init__(self, *, toolchain: Toolchain, module_dir: str, env: Mapping[str, str],
                 group: proc.ProcessGroup, module: str = "") -> None:
        self._tc = toolchain
        self._dir = module_dir
        self._cwd = os.path.normpath(os.path.join(module_dir, module)) if module else module_dir
        self._env = go_env(env)
        self._group = group

    @property
    def module_dir(self) -> str:
        return self._dir

    @property
    def workdir(self) -> str:
        return self._cwd

    @property
    def version(self) -> tuple[int, int, int]:
        return self._tc.version

    def go(self, cmd: GoCommand, *, timeout: float | None) -> proc.ProcResult:
        env = {**self._env, **cmd.env_dict()}
        return proc.run([self._tc.go, *cmd.args], env=env, cwd=self._cwd, timeout=timeout,
                        group=self._group)

    # One executor serves every job: it is its own context manager.
    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class LocalBackend:
    """Every go command, probe and engine run on this machine (see checker/backends.py)."""

    name = NAME

    def __init__(self, *, toolchain: Toolchain, module_dir: str, env: Mapping[str, str],
                 group: proc.ProcessGroup, cache_dir: str, engine: str = "",
                 analyzers: Sequence[str] = ()) -> None:
        self.toolchain = toolchain
        self._analyzers = tuple(analyzers)  # packages of `analyzers:` (checker/lint_build.py)
        self._env = dict(env)
        self._group = group
        self._cache_dir = cache_dir
        self._engine = engine
        self._executor = LocalExecutor(toolchain=toolchain, module_dir=module_dir, env=env,
                                       group=group)
        self._modules: dict[str, LocalExecutor] = {}  # module dir -> its executor

    @property
    def module_dir(self) -> str:
        return self._executor.module_dir

    @property
    def go_version(self) -> str:
        return self.toolchain.version_text

    @property
    def notes(self) -> tuple[str, ...]:
        return ()

    def has_c_compiler(self, goos: str, goarch: str) -> bool:
        return cc.has_c_compiler(goos, goarch, env=self._env)

    def usable_versions(self, requested: Sequence[str]) -> tuple[str, ...]:
        """A local run has the installed Go only: the requested version that names it."""
        if not requested:
            return ()
        installed = "{}.{}.{}".format(*self.toolchain.version)
        wanted = [v for v in requested if installed == v or installed.startswith(v + ".")]
        if not wanted:
            raise UsageError(f"go_versions {', '.join(requested)}: a local run uses the "
                             f"installed Go ({installed}) only; use the container runner for "
                             "other versions, or drop go_versions")
        return (wanted[0],)

    def go(self, cmd: GoCommand, *, go_version: str = "",
           timeout: float | None) -> proc.ProcResult:
        return self._executor.go(cmd, timeout=timeout)

    def settle(self, modules: Sequence[str], gowork: str = "") -> None:
        if not gowork:
            return
        self._env["GOWORK"] = gowork
        self._executor = LocalExecutor(toolchain=self.toolchain, module_dir=self.module_dir,
                                       env=self._env, group=self._group)
        self._modules.clear()

    def executor(self, job: Job) -> AbstractContextManager[LocalExecutor]:
        """The root's executor, or for a job of a module (a run of several) one that runs go
        in that module's directory."""
        if not job.module:
            return self._executor
        if job.module not in self._modules:
            self._modules[job.module] = LocalExecutor(
                toolchain=self.toolchain, module_dir=self.module_dir, env=self._env,
                group=self._group, module=job.module)
        return self._modules[job.module]

    def engine(self, go_version: str = "", *,
               notify: engine_build.Notify = engine_build.quiet) -> EngineSite:
        if self._analyzers and not self._engine:
            from checker import lint_build  # noqa: PLC0415 (lazy: with analyzers: only)
            path, ident = lint_build.ensure(self.toolchain, self._analyzers,
                                            cache_dir=self._cache_dir, module_dir=self.module_dir,
                                            env=self._env, group=self._group, notify=notify)
        else:
            path = engine_build.ensure(self.toolchain, cache_dir=self._cache_dir, env=self._env,
                                       group=self._group, explicit=self._engine, notify=notify)
            ident = engine_build.identity(self.toolchain.version)
        results = os.path.join(self._cache_dir, "typecheck", ident)
        return EngineSite(engine=path, go=self.toolchain.go, goroot=self.toolchain.goroot,
                          module_dir=self.module_dir, results_dir=results,
                          mod_cache=self.toolchain.modcache,
                          c_compiler=functools.partial(cc.c_compiler, env=self._env,
                                                       cache_dir=self._cache_dir))

    def run_engine(self, site: EngineSite, request: Mapping[str, object], *,
                   go_version: str = "", timeout: float | None,
                   on_line: proc.OnLine | None = None) -> proc.ProcResult:
        """The engine reads its request from a file named on its command line. It runs beside
        this process, whose memory comes out of its budget."""
        memory = request.get("memory_mb")
        if isinstance(memory, int):
            request = {**request, "memory_mb": engine_budget(memory, _own_peak_mb())}
        with tempfile.TemporaryDirectory(prefix="crossvet-tc-") as tmp:
            path = os.path.join(tmp, "request.json")
            with open(path, "w", encoding="utf-8") as fh:
                json.dump(request, fh)
            return proc.run([site.engine, path], env=go_env(self._env), cwd=self.module_dir,
                            timeout=timeout, group=self._group, on_line=on_line)


MIN_ENGINE_MB = 64  # what the engine gets at least, whatever runs beside it


def engine_budget(memory_mb: int, beside_mb: int) -> int:
    """The engine's memory budget (docs/typecheck.md) when it runs beside processes using
    `beside_mb`: `--typecheck-memory` is the budget of the whole type-check. 0: no budget."""
    if memory_mb <= 0:
        return 0
    return max(MIN_ENGINE_MB, memory_mb - max(0, beside_mb))


def _own_peak_mb() -> int:
    """This process's peak resident memory in MB (0 where the platform does not say)."""
    if sys.platform == "win32":
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux, bytes on macOS
    return math.ceil(peak / (2**20 if sys.platform == "darwin" else 2**10))


@contextlib.contextmanager
def open_backend(opts: CheckOptions, env: Mapping[str, str],
                 group: proc.ProcessGroup) -> Iterator[LocalBackend]:
    if not os.path.isdir(opts.module_dir):
        raise UsageError(f"{opts.module_dir}: no such directory")
    tc = toolchain.find(env, opts.go, timeout=toolchain.probe_timeout(opts.timeout),
                        cache_dir=opts.cache_dir)
    if engine_checks(opts.checks, opts.vet) or (opts.analyzers and opts.vet == "engine"):
        engine_build.check_version(tc.version)  # once, not as every target's error
    yield LocalBackend(toolchain=tc, module_dir=opts.module_dir,
                       env=env, group=group, cache_dir=opts.cache_dir, engine=opts.engine,
                       analyzers=lint.packages(opts.analyzers))
