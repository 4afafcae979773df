"""The C compiler cgo gets for a target (docs/typecheck.md, cgo): the user's
`CC_FOR_<goos>_<goarch>`; for this machine's own platform, `CC` or else `cc` (what `go build`
uses here, which finds the libraries installed on it); else zig from the `crossvet[cgo]` extra
for the ports it has C headers for (matrix/ctargets.py); else none (the target's cgo files are
then checked with a fake `import "C"`, and crossvet says so).

zig runs through a small script crossvet writes under its cache directory: cgo takes CC as one
command line, and the script keeps zig's own cache there too (one cache for every target, kept
by the Action with crossvet's)."""

from __future__ import annotations

import functools
import importlib.util
import os
import shlex
import shutil
import sys
from collections.abc import Mapping

from checker import installed
from checker.atomic import write_text
from matrix.ctargets import zig_target

INSTALL_HINT = "install crossvet[cgo]"

_MACHINES = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64",
             "i386": "386", "i686": "386"}


def machine() -> str:
    """platform.machine(), from os.uname where there is one: the platform module compiles a
    dozen regular expressions when imported, a cost on every run's start."""
    if hasattr(os, "uname"):
        return os.uname().machine
    import platform  # noqa: PLC0415 (deliberately lazy: Windows only)
    return platform.machine()


def system() -> str:
    """platform.system() (`Linux`, `Darwin`, `Windows`), as machine() does."""
    if hasattr(os, "uname"):
        return os.uname().sysname
    import platform  # noqa: PLC0415 (deliberately lazy: Windows only)
    return platform.system()


def host_platform() -> str:
    """This machine's GOOS/GOARCH, as far as Python can tell ("" when it cannot)."""
    goos = {"linux": "linux", "darwin": "darwin", "win32": "windows"}.get(sys.platform, "")
    goarch = _MACHINES.get(machine().lower(), "")
    return f"{goos}/{goarch}" if goos and goarch else ""


@functools.cache  # asked for every target; what is installed does not change during a run
def zig_version() -> str:
    """The installed `ziglang` wheel's version, "" when the extra is not installed."""
    if importlib.util.find_spec("ziglang") is None:
        return ""
    return installed.version("ziglang")


def zig_script(cache_dir: str, version: str) -> str:
    """The script that runs the extra's zig as a C compiler, written once per zig version (its
    path, and so the engine's cache keys, name the version). zig's cache is the caller's
    ZIG_GLOBAL_CACHE_DIR if set, else `<cache_dir>/zig`."""
    path = os.path.join(cache_dir, "cgo", f"zig-{version}", "cc")
    zig_cache = os.path.join(cache_dir, "zig")
    text = ("#!/bin/sh\n"
            f": \"${{ZIG_GLOBAL_CACHE_DIR:={shlex.quote(zig_cache)}}}\"\n"
            ": \"${ZIG_LOCAL_CACHE_DIR:=$ZIG_GLOBAL_CACHE_DIR}\"\n"
            "export ZIG_GLOBAL_CACHE_DIR ZIG_LOCAL_CACHE_DIR\n"
            f"exec {shlex.quote(sys.executable)} -m ziglang cc \"$@\"\n")
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return path
    except OSError:
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    write_text(path, text)
    os.chmod(path, 0o755)
    return path


def has_c_compiler(goos: str, goarch: str, *, env: Mapping[str, str], host: str = "") -> bool:
    """Whether c_compiler has one for goos/goarch (without writing zig's script)."""
    if env.get(f"CC_FOR_{goos}_{goarch}", "").strip():
        return True
    if f"{goos}/{goarch}" == (host or host_platform()) and (
            env.get("CC", "").strip() or shutil.which("cc", path=env.get("PATH"))):
        return True
    return bool(zig_target(goos, goarch) and zig_version())


def c_compiler(goos: str, goarch: str, *, env: Mapping[str, str], cache_dir: str,
               host: str = "") -> str:
    """The C compiler command line (CC) for goos/goarch, "" when there is none."""
    if cc := env.get(f"CC_FOR_{goos}_{goarch}", "").strip():
        return cc
    native = ""  # what `go build` uses on this machine, for its own platform
    if f"{goos}/{goarch}" == (host or host_platform()):
        native = env.get("CC", "").strip() or shutil.which("cc", path=env.get("PATH")) or ""
    if native:
        return native
    target, version = zig_target(goos, goarch), zig_version()
    if target and version:
        return f"{shlex.quote(zig_script(cache_dir, version))} -target {target}"
    return ""
