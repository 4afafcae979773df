"""The container backend: connect, sweep leftovers, prepare images and caches, download modules,
then run every go command (probes, each job's checks, the type-check engine) in its own
locked-down container. The PoolRunner runs the jobs as it does locally.

Two phases: `go mod download` (the only container with a network, and only when the module has
requirements), then everything else, with network `none`.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import docker
import docker.errors
import requests

from checker import engine_build
from checker.commands import GoCommand
from checker.docker import container as ct
from checker.docker import daemon
from checker.docker import images as img
from checker.docker.sweep import sweep
from checker.engine_build import ENGINE_SRC, EngineSite
from checker.proc import OnLine, ProcessGroup, ProcResult
from checker.toolchain import PROBE_TIMEOUT, parse_version
from matrix.errors import InfraError
from matrix.options import CheckOptions
from matrix.plan import Job

NAME = "docker"
# Variables of the caller that reach go inside the containers (nothing else does).
DOWNLOAD_PASSTHROUGH = ("GOPROXY", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GONOSUMCHECK",
                        "GOSUMDB", "GOINSECURE", "GOEXPERIMENT")
CHECK_PASSTHROUGH = ("GOEXPERIMENT", "GOSUMDB", "GONOSUMDB", "GOPRIVATE")
DOWNLOAD_TIMEOUT = 900.0
PROBE_MEMORY = "512m"  # small trusted commands: a fixed limit, so --memory cannot break them


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
    # A run of several modules: their directories under module_dir (the root that is mounted).
    modules: tuple[str, ...] = ()


def in_source(module: str) -> str:
    """Where a module's go commands run in the container: SRC, or its directory under SRC."""
    return f"{ct.SRC}/{module}" if module and module != "." else ct.SRC


class DockerExecutor:
    """Runs each go command of one job in its own container of the job's image."""

    def __init__(self, session: DockerSession, version: str, job: str, module: str = "") -> None:
        self._s = session
        self._version = version
        self._job = job
        self._workdir = in_source(module)

    @property
    def module_dir(self) -> str:
        return ct.SRC

    @property
    def workdir(self) -> str:
        return self._workdir

    @property
    def version(self) -> tuple[int, int, int]:
        return self._s.versions[self._version]

    def go(self, cmd: GoCommand, *, timeout: float | None) -> ProcResult:
        return self._s.run(self._version, ("go", *cmd.args), env=cmd.env_dict(),
                           timeout=timeout, what=f"`go {cmd.args[0]}` for {self._job}",
                           job=self._job, workdir=self._workdir)

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
        self.swept = 0
        self._gowork = ""  # settle's go.work, a host path mounted at the same path
        self._download_version = ""  # the image that downloads the modules (settle)

    def sandbox(self, version: str) -> ct.Sandbox:
        return ct.Sandbox(image=self.settings.images[version], source=self.settings.module_dir,
                          cache=self._cache, uid=self._uid, gid=self._gid,
                          labels=self.labels, limits=self.settings.limits)

    def _pass(self, names: Sequence[str]) -> dict[str, str]:
        return {k: self._env[k] for k in names if self._env.get(k)}

    def run(self, version: str, argv: Sequence[str], *, env: Mapping[str, str],
            timeout: float | None, what: str, job: str = "", memory: str = "",
            read_only_mounts: Sequence[str] = (), workdir: str = ct.SRC,
            on_line: OnLine | None = None) -> ProcResult:
        """The one way a check-phase container runs (probes, checks, the engine): locked down,
        no network, the caller's GO* pass-through variables under `env`. A job's containers
        (and the engine's) carry its name in the `crossvet.job` label; probes carry none."""
        if version in self.failed:
            raise InfraError(self.failed[version])
        sb = self.sandbox(version)
        sb = replace(sb, labels={**sb.labels, "crossvet.job": job} if job else sb.labels,
                     limits=replace(sb.limits, memory=memory) if memory else sb.limits)
        base = ct.base_env(download=False, passthrough=self._pass(CHECK_PASSTHROUGH))
        read_only_mounts = self._workspace(base, read_only_mounts)  # a command's GOWORK wins
        args = ct.create_args(sb, command=argv, env={**base, **env},
                              read_only_mounts=read_only_mounts, workdir=workdir)
        return ct.run_once(self._client, args, timeout=timeout, cancelled=self._group.cancelled,
                           what=what, on_line=on_line)

    def _output(self, version: str, argv: Sequence[str], what: str, *, timeout: float,
                env: Mapping[str, str] | None = None, memory: str = "", job: str = "",
                read_only_mounts: Sequence[str] = ()) -> str:
        """The stdout of one of crossvet's own commands (probes, the engine's build), or an
        InfraError that says why there is none."""
        run = self.run(version, argv, env=env or {}, timeout=timeout, what=what, job=job,
                       memory=memory, read_only_mounts=read_only_mounts)
        if run.cancelled:
            raise InfraError("interrupted")
        if run.timed_out:
            raise InfraError(f"{what} timed out after {timeout:g}s and was killed")
        if run.exit_code != 0:
            raise InfraError(f"{what} failed in image {self.settings.images[version]} "
                             f"(exit {run.exit_code}): {(run.stderr or run.stdout).strip()[:800]}")
        return run.stdout

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
                text = self._output(version, ["go", "env", "GOVERSION"], "`go env`",
                                    timeout=PROBE_TIMEOUT, memory=PROBE_MEMORY)
                self.versions[version] = parse_version(text)
            except InfraError as exc:
                self.failed[version] = str(exc)
        usable = [v for v in usable if v not in self.failed]
        if not usable:
            raise InfraError(next(iter(self.failed.values())))
        self._download_version = usable[0]  # once the modules are settled

    def _workspace(self, env: dict[str, str], mounts: Sequence[str]) -> tuple[str, ...]:
        """settle's go.work, if any, in `env` (GOWORK) and the mounts (its directory)."""
        if not self._gowork:
            return tuple(mounts)
        env["GOWORK"] = self._gowork
        return (*mounts, os.path.dirname(self._gowork))

    def _download(self, version: str, modules: Sequence[str]) -> None:
        """`go mod download` with the network the settings name (the only phase that has one),
        in each module that has requirements."""
        for module in modules or ("",):
            path = os.path.join(self.settings.module_dir, module, "go.mod")
            with open(path, encoding="utf-8") as fh:
                if img.has_requirements(fh.read()):
                    self._download_in(version, module)

    def _download_in(self, version: str, module: str) -> None:
        passthrough = self._pass(DOWNLOAD_PASSTHROUGH)
        env = ct.base_env(download=True, passthrough=passthrough)
        mounts = self._workspace(env, img.file_proxy_dirs(passthrough.get("GOPROXY", "")))
        args = ct.create_args(self.sandbox(version), command=["go", "mod", "download"],
                              env=env, network=self.settings.download_network,
                              read_only_mounts=mounts, workdir=in_source(module))
        run = ct.run_once(self._client, args, timeout=DOWNLOAD_TIMEOUT,
                          cancelled=self._group.cancelled,
                          what=f"module download{f' in {module}' if module else ''}")
        if run.cancelled:
            raise KeyboardInterrupt
        if run.exit_code != 0:
            why = "timed out" if run.timed_out else (run.stderr or run.stdout).strip()[:800]
            raise InfraError(f"module download (`go mod download`, network "
                             f"{self.settings.download_network}) failed: {why}")

    # ---- the Backend protocol (checker/backends.py) --------------------------------------

    name = NAME

    @property
    def module_dir(self) -> str:
        return ct.SRC

    @property
    def go_version(self) -> str:
        return ", ".join("go{}.{}.{}".format(*v) for v in self.versions.values())

    @property
    def notes(self) -> tuple[str, ...]:
        return (f"removed {self.swept} container(s) an earlier run left",) if self.swept else ()

    def has_c_compiler(self, goos: str, goarch: str) -> bool:
        return False  # the engine in a container checks cgo files with a fake import "C"

    def usable_versions(self, requested: Sequence[str]) -> tuple[str, ...]:
        """Every requested version has its image (the session was opened for them)."""
        return tuple(requested)

    def _version(self, go_version: str) -> str:
        """The requested version, or the first usable one (whose Go `go_version` names first)."""
        version = go_version or next(iter(self.versions), self.settings.versions[0])
        if version not in self.settings.images:
            raise InfraError(f"no image for Go {version}")
        if version in self.failed:
            raise InfraError(self.failed[version])
        return version

    def go(self, cmd: GoCommand, *, go_version: str = "",
           timeout: float | None) -> ProcResult:
        return self.run(self._version(go_version), ("go", *cmd.args), env=cmd.env_dict(),
                        timeout=timeout, what=f"`go {cmd.args[0]}`", memory=PROBE_MEMORY)

    def settle(self, modules: Sequence[str], gowork: str = "") -> None:
        """Download the checked modules' requirements, in the go.work the run will use."""
        self._gowork = gowork
        self._download(self._download_version, modules)

    def executor(self, job: Job) -> DockerExecutor:
        return DockerExecutor(self, self._version(job.go_version), job.name, job.module)

    def engine(self, go_version: str = "", *,
               notify: engine_build.Notify = engine_build.quiet) -> EngineSite:
        """The engine built with the image's own Go in crossvet's part of the container cache,
        keyed like a host build; built only when that cache does not have it yet (a warm run
        starts one container to ask, then the engine's own)."""
        version = self._version(go_version)
        found = self.versions[version]
        engine_build.check_version(found)
        ident = engine_build.identity(found)
        path = f"{ct.OWN}/engine-{ident}"
        if not self._engine_built(version, path):
            notify(engine_build.building(found, "in a container (first run only)"))
            start = time.monotonic()
            self._build_engine(version, path)
            notify(engine_build.built(time.monotonic() - start))
        # No GOROOT: the engine asks the image's go itself (one container fewer per run).
        return EngineSite(engine=path, go="go", goroot="", module_dir=ct.SRC,
                          results_dir=f"{ct.OWN}/typecheck/{ident}")

    def _engine_built(self, version: str, path: str) -> bool:
        """Whether the cache has the engine: `go version` reads a whole Go binary (a missing
        or half-written one is an error), in one container with only go in it."""
        run = self.run(version, ["go", "version", path], env={}, timeout=PROBE_TIMEOUT,
                       what="`go version` of the typecheck engine", memory=PROBE_MEMORY)
        return run.exit_code == 0

    def _build_engine(self, version: str, path: str) -> None:
        what = "building the typecheck engine"
        goroot = self._output(version, ["go", "env", "GOROOT"], "`go env GOROOT`",
                              timeout=PROBE_TIMEOUT, memory=PROBE_MEMORY).strip()
        env = {"CGO_ENABLED": "0", "GOWORK": "off", "GOFLAGS": ""}
        src, build_dir = str(ENGINE_SRC), f"{path}.src"
        prep_build, prep_run = engine_build.prepare_commands("go", goroot, build_dir)
        self._output(version, prep_build, what, timeout=engine_build.BUILD_TIMEOUT, job=what,
                     env=env, read_only_mounts=(src,))
        prep = self.run(version, prep_run, env=env, timeout=engine_build.BUILD_TIMEOUT,
                        what=what, job=what, read_only_mounts=(src,))
        if prep.cancelled or prep.timed_out:
            raise InfraError("interrupted" if prep.cancelled else f"{what} timed out")
        vet = prep.exit_code == 0  # else the image's Go has no vendored analyzers to build in
        if not vet and prep.exit_code != engine_build.PREP_UNSUPPORTED:
            raise InfraError(f"{what} failed in image {self.settings.images[version]}: "
                             f"{(prep.stderr or prep.stdout).strip()[:800]}")
        self._output(version, ["go", "-C", build_dir if vet else src,
                               *engine_build.build_args(path, vet=vet)],
                     what, timeout=engine_build.BUILD_TIMEOUT, job=what, env=env,
                     read_only_mounts=(src,))

    def run_engine(self, site: EngineSite, request: Mapping[str, object], *,
                   go_version: str = "", timeout: float | None,
                   on_line: OnLine | None = None) -> ProcResult:
        """The request travels in an environment variable: the containers have no writable
        place the host can see when the cache is a named volume."""
        return self.run(self._version(go_version), [site.engine],
                        env={"CROSSVET_ENGINE_REQUEST": json.dumps(request)}, timeout=timeout,
                        what="the typecheck engine", job="the typecheck engine",
                        read_only_mounts=(str(ENGINE_SRC),), on_line=on_line)

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


def docker_settings(opts: CheckOptions) -> DockerSettings:
    """The session settings for `crossvet check` options (Go versions from go.mod if not given:
    the root's, else the workspace's go.work, else the first module's)."""
    gomod = ""
    modules = opts.module_dirs
    for name in ("go.mod", "go.work", *(f"{m}/go.mod" for m in modules)):
        path = os.path.join(opts.module_dir, name)
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as fh:
                gomod = fh.read()
            break
    versions = img.go_versions(opts.go_versions, gomod) if (opts.go_versions or not opts.image) \
        else (img.gomod_version(gomod) or "local",)
    return DockerSettings(module_dir=opts.module_dir, versions=versions, modules=tuple(modules),
                          images=img.images(versions, opts.image), cache=opts.docker_cache,
                          download_network=opts.download_network,
                          limits=ct.Limits(memory=opts.memory, pids=opts.pids_limit))


@contextlib.contextmanager
def open_backend(opts: CheckOptions, env: Mapping[str, str],
                 group: ProcessGroup) -> Iterator[DockerSession]:
    """The session, open; leaving the block removes every container of the run."""
    s = DockerSession(docker_settings(opts), env, group, jobs=opts.jobs)
    try:
        s.open()
        yield s
    finally:
        s.close()
