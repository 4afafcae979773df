"""Where go commands run. The local executor runs them as subprocesses on this machine; the
container runner provides another implementation of the same Protocol."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Protocol

from checker import proc
from checker.commands import GoCommand
from checker.toolchain import Toolchain, go_env
from matrix.plan import Job


class Executor(Protocol):
    """Runs go commands for one job. Paths in the output are relative to `module_dir`."""

    @property
    def module_dir(self) -> str: ...

    @property
    def version(self) -> tuple[int, int, int]: ...

    def go(self, cmd: GoCommand, *, timeout: float | None) -> proc.ProcResult: ...


class ExecutorFactory(Protocol):
    """Gives each job an executor for as long as its checks run (e.g. one container per job)."""

    def __call__(self, job: Job) -> AbstractContextManager[Executor]: ...


class LocalExecutor:
    """Runs `go` as a subprocess in the module directory, with the caller's environment."""

    def __init__(self, *, toolchain: Toolchain, module_dir: str, env: Mapping[str, str],
                 group: proc.ProcessGroup) -> None:
        self._tc = toolchain
        self._dir = module_dir
        self._env = go_env(env)
        self._group = group

    @property
    def module_dir(self) -> str:
        return self._dir

    @property
    def version(self) -> tuple[int, int, int]:
        return self._tc.version

    def go(self, cmd: GoCommand, *, timeout: float | None) -> proc.ProcResult:
        env = {**self._env, **cmd.env_dict()}
        return proc.run([self._tc.go, *cmd.args], env=env, cwd=self._dir, timeout=timeout,
                        group=self._group)

    # A LocalExecutor is its own context manager so that it can serve as a factory's product.
    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def local_factory(*, toolchain: Toolchain, module_dir: str, env: Mapping[str, str],
                  group: proc.ProcessGroup) -> ExecutorFactory:
    executor = LocalExecutor(toolchain=toolchain, module_dir=module_dir, env=env, group=group)

    def factory(job: Job) -> AbstractContextManager[Executor]:
        return executor

    return factory
