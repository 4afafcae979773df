"""The container runner's session: connect, sweep leftovers, prepare images and caches, download
modules, then hand out one executor per job. The PoolRunner runs the jobs as it does locally.

Two phases: `go mod download` (the only container with a network, and only when the module has
requirements), then the checks, each go command in its own container with network `none`.
"""

from __future__ import annotations

import contextlib
import os
import socket
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from typing import Any

import docker
import docker.errors
import requests

from checker import container as ct
from checker import docker_daemon as daemon
from checker import images as img
from checker.commands import GoCommand
from checker.executor import Executor, ExecutorFactory
from checker.proc import ProcessGroup, ProcResult
from checker.sweep import sweep
from checker.toolchain import parse_version
from crossvet.errors import InfraError
from matrix.options import CheckOptions
from matrix.plan import Job
from matrix.targets import Port, parse_dist_list

# Variables of the caller that reach go inside the containers (nothing else does).
DOWNLOAD_PASSTHROUGH = ("GOPROXY", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GONOSUMCHECK",
                        "GOSUMDB", "GOINSECURE", "GOEXPERIMENT")
CHECK_PASSTHROUGH = ("GOEXPERIMENT", "GOSUMDB", "GONOSUMDB", "GOPRIVATE")
PROBE_TIMEOUT = 120.0
DOWNLOAD_TIMEOUT = 900.0


@dataclass(frozen=True, kw_only=True)
class DockerSettings:
    module_dir: str
    versions: tuple[str, ...]  # Go versions; more than one makes a version axis
    images: Mapping[str, str]  # version -> image
    cache: str  # host directory, or `volume:NAME`
    download_network: str = "bridge"
    limits: ct.Limits = field(default_factory=ct.Limits)
    uid: int = field(default_factory=os.getuid)
    gid: int = field(default_factory=os.getgid)


class DockerExecutor:
    """Runs each go command of one job in its own container of the job's image."""

    def __init__(self, *, client: Any, sandbox: ct.Sandbox, version: tuple[int, int, int],
                 env: Mapping[str, str], group: ProcessGroup, job: str) -> None:
        self._client = client
        self._sb = sandbox
        self._version = version
        self._env = dict(env)
        self._group = group
        self._job = job

    @property
    def module_dir(self) -> str:
        return ct.SRC

    @property
    def version(self) -> tuple[int, int, int]:
        return self._version

    def go(self, cmd: GoCommand, *, timeout: float | None) -> ProcResult:
        argv = ("go", *cmd.args)
        sb = replace(self._sb, labels={**self._sb.labels, "crossvet.job": self._job})
        args = ct.create_args(sb, command=argv, env={**self._env, **cmd.env_dict()})
        run = ct.run_once(self._client, args, timeout=timeout, cancelled=self._group.cancelled)
        if run.oom_killed:
            raise InfraError(f"out of memory: the container of `go {cmd.args[0]}` for {self._job}"
                             f" was killed (OOMKilled) at its {sb.limits.memory} limit; raise "
                             "it with --memory")
        return ProcResult(argv=argv, exit_code=run.exit_code, stdout=run.stdout,
                          stderr=run.stderr, duration=run.duration, timed_out=run.timed_out,
                          cancelled=run.cancelled)

    def __enter__(self) -> DockerExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class DockerSession:
    """One run's Docker state. Use as a context manager: leaving it removes every container."""

    def __init__(self, settings: DockerSettings, env: Mapping[str, str], group: ProcessGroup,
                 *, jobs: int) -> None:
        self.settings = settings
        self._env = env
        self._group = group
        self._jobs = jobs
        self.run_id = uuid.uuid4().hex[:12]
        self.labels = {"crossvet.run": self.run_id, "crossvet.pid": str(os.getpid()),
                       "crossvet.host": socket.gethostname()}
        self._client: Any = None
        self._cache = ""
        self._uid, self._gid = ct.container_user(settings.uid, settings.gid)
        self.versions: dict[str, tuple[int, int, int]] = {}  # requested -> found in the image
        self.failed: dict[str, str] = {}  # requested version -> why its image cannot be used
        self.ports: tuple[Port, ...] = ()
        self.swept = 0

    def sandbox(self, version: str) -> ct.Sandbox:
        return ct.Sandbox(image=self.settings.images[version], source=self.settings.module_dir,
                          cache=self._cache, uid=self._uid, gid=self._gid,
                          labels=self.labels, limits=self.settings.limits)

    def _pass(self, names: Sequence[str]) -> dict[str, str]:
        return {k: self._env[k] for k in names if self._env.get(k)}

    def _oneshot(self, version: str, argv: Sequence[str], *, what: str) -> str:
        # Trusted, small commands: they get a fixed memory limit, so --memory cannot break them.
        sb = replace(self.sandbox(version), limits=replace(self.settings.limits, memory="512m"))
        args = ct.create_args(sb, command=argv,
                              env=ct.base_env(download=False,
                                              passthrough=self._pass(CHECK_PASSTHROUGH)))
        run = ct.run_once(self._client, args, timeout=PROBE_TIMEOUT,
                          cancelled=self._group.cancelled)
        if run.exit_code != 0:
            image = self.settings.images[version]
            raise InfraError(f"{what} failed in image {image} (exit {run.exit_code}): "
                             f"{(run.stderr or run.stdout).strip()[:500]}")
        return run.stdout

    def run_tool(self, version: str, argv: Sequence[str], *, env: Mapping[str, str],
                 timeout: float | None, read_only_mounts: Sequence[str] = (),
                 what: str) -> ct.ContainerRun:
        """One check-phase container (locked down like the checks) for crossvet's own tools."""
        if version in self.failed:
            raise InfraError(self.failed[version])
        base = ct.base_env(download=False, passthrough=self._pass(CHECK_PASSTHROUGH))
        sb = replace(self.sandbox(version), labels={**self.labels, "crossvet.job": what})
        args = ct.create_args(sb, command=argv, env={**base, **env},
                              read_only_mounts=read_only_mounts)
        run = ct.run_once(self._client, args, timeout=timeout, cancelled=self._group.cancelled)
        if run.oom_killed:
            raise InfraError(f"out of memory: the container of {what} was killed (OOMKilled) "
                             f"at its {sb.limits.memory} limit; raise it with --memory")
        return run

    def open(self) -> None:
        try:
            self._open()
        except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
            raise InfraError(f"Docker failed while preparing the run: {daemon.short(exc)}") from exc
        except OSError as exc:
            raise InfraError(f"cannot prepare the container cache {self.settings.cache}: "
                             f"{exc.strerror or exc}") from exc

    def _open(self) -> None:
        s = self.settings
        self._client = daemon.connect(self._env, pool=self._jobs + 4)
        self.swept = sweep(self._client, host=self.labels["crossvet.host"])
        for version in s.versions:
            try:
                daemon.ensure_image(self._client, s.images[version])
            except InfraError as exc:
                self.failed[version] = str(exc)
        usable = [v for v in s.versions if v not in self.failed]
        if not usable:
            raise InfraError(next(iter(self.failed.values())))
        self._cache = daemon.prepare_cache(self._client, s.cache, s.images[usable[0]],
                                    uid=self._uid, gid=self._gid, labels=self.labels)
        for version in usable:
            try:
                text = self._oneshot(version, ["go", "env", "GOVERSION"], what="`go env`")
                self.versions[version] = parse_version(text)
            except InfraError as exc:
                self.failed[version] = str(exc)
        usable = [v for v in usable if v not in self.failed]
        if not usable:
            raise InfraError(next(iter(self.failed.values())))
        self.ports = parse_dist_list(self._oneshot(usable[0], ["go", "tool", "dist", "list",
                                                               "-json"], what="`go tool dist`"))
        self._download(usable[0])

    def _download(self, version: str) -> None:
        """`go mod download` with the network the settings name (the only phase that has one)."""
        with open(os.path.join(self.settings.module_dir, "go.mod"), encoding="utf-8") as fh:
            if not img.has_requirements(fh.read()):
                return
        passthrough = self._pass(DOWNLOAD_PASSTHROUGH)
        mounts = img.file_proxy_dirs(passthrough.get("GOPROXY", ""))
        args = ct.create_args(self.sandbox(version), command=["go", "mod", "download"],
                              env=ct.base_env(download=True, passthrough=passthrough),
                              network=self.settings.download_network, read_only_mounts=mounts)
        run = ct.run_once(self._client, args, timeout=DOWNLOAD_TIMEOUT,
                          cancelled=self._group.cancelled)
        if run.cancelled:
            raise KeyboardInterrupt
        if run.exit_code != 0 or run.oom_killed:
            why = "out of memory (OOMKilled)" if run.oom_killed else (
                "timed out" if run.timed_out else (run.stderr or run.stdout).strip()[:800])
            raise InfraError(f"module download (`go mod download`, network "
                             f"{self.settings.download_network}) failed: {why}")

    @property
    def version_text(self) -> str:
        return ", ".join("go{}.{}.{}".format(*v) for v in self.versions.values())

    def factory(self) -> ExecutorFactory:
        only = self.settings.versions[0]
        env = ct.base_env(download=False, passthrough=self._pass(CHECK_PASSTHROUGH))

        def make(job: Job) -> AbstractContextManager[Executor]:
            version = job.go_version or only
            if version not in self.settings.images:
                raise InfraError(f"no image for Go {version}")
            if version in self.failed:
                raise InfraError(self.failed[version])
            return DockerExecutor(client=self._client, sandbox=self.sandbox(version),
                                  version=self.versions[version], env=env, group=self._group,
                                  job=job.name)

        return make

    def close(self) -> None:
        """Remove whatever container of this run is still there (normally none)."""
        if self._client is None:
            return
        with contextlib.suppress(Exception):
            for c in self._client.containers.list(
                    all=True, filters={"label": f"crossvet.run={self.run_id}"}):
                ct.remove(c)
        with contextlib.suppress(Exception):
            self._client.close()


@contextlib.contextmanager
def session(settings: DockerSettings, env: Mapping[str, str], group: ProcessGroup, *,
            jobs: int) -> Iterator[DockerSession]:
    s = DockerSession(settings, env, group, jobs=jobs)
    try:
        s.open()
        yield s
    finally:
        s.close()


def default_cache(env: Mapping[str, str]) -> str:
    base = env.get("XDG_CACHE_HOME") or os.path.join(env.get("HOME") or "/tmp", ".cache")
    return os.path.join(base, "crossvet", "docker")


def _cache_path(opts: CheckOptions, env: Mapping[str, str]) -> str:
    """`volume:NAME` as is; a directory absolute (relative to the module when from the file)."""
    cache = opts.docker_cache or default_cache(env)
    if cache.startswith("volume:") or os.path.isabs(cache):
        return cache
    _, line = opts.origin("docker_cache")
    return os.path.abspath(os.path.join(opts.module_dir, cache) if line else cache)


def settings_from(opts: CheckOptions, env: Mapping[str, str]) -> DockerSettings:
    """The session settings for `crossvet check` options (Go versions from go.mod if not given)."""
    with open(os.path.join(opts.module_dir, "go.mod"), encoding="utf-8") as fh:
        gomod = fh.read()
    versions = img.go_versions(opts.go_versions, gomod) if (opts.go_versions or not opts.image) \
        else (img.gomod_version(gomod) or "local",)
    return DockerSettings(module_dir=opts.module_dir, versions=versions,
                          images=img.images(versions, opts.image), cache=_cache_path(opts, env),
                          download_network=opts.download_network,
                          limits=ct.Limits(memory=opts.memory, pids=opts.pids_limit))


def docker_session(opts: CheckOptions, env: Mapping[str, str],
                   group: ProcessGroup) -> AbstractContextManager[DockerSession]:
    return session(settings_from(opts, env), env, group, jobs=opts.jobs)
