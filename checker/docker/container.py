"""One command in one locked-down, always-removed container.

`create_args` is pure (what a container looks like); `run_once` is the thin I/O around it. Every
container gets the `crossvet` labels, so that a later run can sweep leftovers of a crashed one.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import docker.errors
import requests

from checker.proc import OnLine, ProcResult
from matrix.config import BY_KEY
from matrix.errors import InfraError

SRC = "/src"  # the module, read-only
CACHE = "/cache"  # GOCACHE and GOMODCACHE live below this
GOCACHE = CACHE + "/go-build"
GOMODCACHE = CACHE + "/mod"
OWN = CACHE + "/crossvet"  # crossvet's own: the typecheck engine and its result cache
CACHE_SUBDIRS = ("go-build", "mod", "crossvet")  # each owned by the container user
LABEL = "crossvet"  # every container crossvet creates carries this label
POLL = 0.5  # seconds between checks for timeout / Ctrl-C while a container runs
NOBODY = (65534, 65534)  # the user when crossvet itself runs as root


@dataclass(frozen=True, kw_only=True)
class Limits:
    # the defaults are the options' (matrix/config.OPTIONS: memory, pids_limit)
    memory: str = BY_KEY["memory"].default  # docker's mem_limit syntax (also memory+swap)
    pids: int = BY_KEY["pids_limit"].default  # processes and threads (go runs many compilers)


@dataclass(frozen=True, kw_only=True)
class Sandbox:
    """What every container of a run shares: image, source, cache, user, labels, limits."""

    image: str
    source: str  # host path of the module root
    cache: str  # host directory (absolute path) or named volume
    uid: int
    gid: int
    labels: Mapping[str, str] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)

    @property
    def user(self) -> str:
        return f"{self.uid}:{self.gid}"


def container_user(uid: int, gid: int) -> tuple[int, int]:
    """The caller's uid/gid, or nobody's when the caller is root: containers never run as root."""
    return NOBODY if uid == 0 else (uid, gid)


def base_env(*, download: bool, passthrough: Mapping[str, str]) -> dict[str, str]:
    """The environment of go inside: caches under /cache, no toolchain switch, no module edits.

    In the check phase the module proxy is off: everything was downloaded before, and the
    network is gone anyway. `-buildvcs=false` because the source belongs to another user.
    """
    env = {
        "HOME": "/tmp",
        "GOPATH": "/tmp/go",
        "GOCACHE": GOCACHE,
        "GOMODCACHE": GOMODCACHE,
        "GOTOOLCHAIN": "local",
        "GOFLAGS": "-mod=readonly -buildvcs=false",
    }
    env.update(passthrough)
    if not download:
        env["GOPROXY"] = "off"
    return env


def create_args(sb: Sandbox, *, command: Sequence[str], env: Mapping[str, str],
                network: str = "none", read_only_mounts: Sequence[str] = (),
                workdir: str = SRC) -> dict[str, Any]:
    """Keyword arguments of `client.containers.create` for one locked-down container; `workdir`
    is SRC or, for a module of a run of several, its directory under SRC."""
    volumes: dict[str, dict[str, str]] = {
        sb.source: {"bind": SRC, "mode": "ro"},
        sb.cache: {"bind": CACHE, "mode": "rw"},
    }
    for path in read_only_mounts:
        volumes[path] = {"bind": path, "mode": "ro"}
    return {
        "image": sb.image,
        "command": list(command),
        "environment": dict(env),
        "working_dir": workdir,
        "user": sb.user,
        "network_mode": network,
        "read_only": True,
        "tmpfs": {"/tmp": f"rw,nosuid,nodev,noexec,uid={sb.uid},gid={sb.gid}"},
        "volumes": volumes,
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges"],
        "mem_limit": sb.limits.memory,
        "memswap_limit": sb.limits.memory,
        "pids_limit": sb.limits.pids,
        "labels": {LABEL: "1", **sb.labels},
        "stdin_open": False,
        "tty": False,
        "detach": True,
    }


def _is_read_timeout(exc: Exception) -> bool:
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return True
    return isinstance(exc, requests.exceptions.ConnectionError) and "timed out" in str(exc)


def remove(container: Any) -> None:
    """Remove a container whatever its state; a container already gone is fine."""
    with contextlib.suppress(docker.errors.NotFound, docker.errors.APIError,
                             requests.exceptions.RequestException):
        container.remove(force=True, v=True)


def _logs(container: Any, *, stdout: bool) -> str:
    data: bytes = container.logs(stdout=stdout, stderr=not stdout)
    return data.decode("utf-8", "replace")


def _follow(container: Any, on_line: OnLine) -> threading.Thread:
    """A thread telling `on_line` each line of the container's stdout as it is written (the
    result still reads the whole log once the container has exited)."""

    def follow() -> None:
        pending = b""
        with contextlib.suppress(docker.errors.DockerException,
                                 requests.exceptions.RequestException):
            for chunk in container.logs(stdout=True, stderr=False, stream=True, follow=True):
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    on_line(line.decode("utf-8", "replace") + "\n")
        if pending:
            on_line(pending.decode("utf-8", "replace"))

    thread = threading.Thread(target=follow, name="crossvet-logs", daemon=True)
    thread.start()
    return thread


def run_once(client: Any, args: Mapping[str, Any], *, timeout: float | None,
             cancelled: threading.Event, what: str, on_line: OnLine | None = None) -> ProcResult:
    """Create, start and wait for one container; collect its output; always remove it.

    The result is the same record a subprocess gives (checker.proc). A container the kernel
    killed for memory is an InfraError naming `what` ran in it and the limit it hit. `on_line`,
    when given, is told each line of stdout as the container writes it.
    """
    start = time.monotonic()
    argv = tuple(args.get("command") or ())
    if cancelled.is_set():
        return ProcResult(argv=argv, exit_code=None, stdout="", stderr="", duration=0.0,
                          cancelled=True)
    container = None
    try:
        container = client.containers.create(**args)
        container.start()
        follower = _follow(container, on_line) if on_line is not None else None
        deadline = None if timeout is None else start + timeout
        exit_code: int | None = None
        timed_out = was_cancelled = False
        while True:
            if cancelled.is_set():
                was_cancelled = True
                break
            wait = POLL if deadline is None else min(POLL, deadline - time.monotonic())
            if wait <= 0:
                timed_out = True
                break
            try:
                exit_code = int(container.wait(timeout=max(wait, 0.05))["StatusCode"])
                break
            except requests.exceptions.RequestException as exc:
                if not _is_read_timeout(exc):
                    raise
        if was_cancelled:
            return ProcResult(argv=argv, exit_code=None, stdout="", stderr="",
                              duration=time.monotonic() - start, cancelled=True)
        if timed_out:
            with contextlib.suppress(docker.errors.APIError):
                container.kill()
        if follower is not None:
            follower.join(timeout=POLL * 4)  # the log stream ends with the container
        out, err = _logs(container, stdout=True), _logs(container, stdout=False)
        container.reload()
        if not timed_out and container.attrs.get("State", {}).get("OOMKilled"):
            raise InfraError(f"out of memory: the container of {what} was killed (OOMKilled) "
                             f"at its {args.get('mem_limit')} limit; raise it with --memory")
        return ProcResult(argv=argv, exit_code=None if timed_out else exit_code, stdout=out,
                          stderr=err, duration=time.monotonic() - start, timed_out=timed_out)
    except docker.errors.ImageNotFound as exc:
        raise InfraError(f"Docker image {args.get('image')} is not on this machine: "
                         f"{exc.explanation or exc}") from exc
    except docker.errors.APIError as exc:
        raise InfraError(f"Docker refused to run a container of {args.get('image')}: "
                         f"{exc.explanation or exc}") from exc
    except (requests.exceptions.RequestException, docker.errors.DockerException) as exc:
        raise InfraError(f"lost the Docker daemon while a container ran: {exc}") from exc
    finally:
        if container is not None:
            remove(container)
