"""Which C compiler cgo gets per target (checker/cc.py)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from checker import cc
from matrix.ctargets import zig_target


def _cc(goos: str, goarch: str, env: dict[str, str], tmp: Path) -> str:
    return cc.c_compiler(goos, goarch, env=env, cache_dir=str(tmp), host="linux/amd64")


def test_the_users_compiler_for_the_target_comes_first(tmp_path: Path) -> None:
    env = {"CC_FOR_windows_amd64": "x86_64-w64-mingw32-gcc", "CC": "clang", "PATH": ""}
    assert _cc("windows", "amd64", env, tmp_path) == "x86_64-w64-mingw32-gcc"
    assert _cc("linux", "amd64", env, tmp_path) == "clang"  # CC: this machine's platform only


def test_zig_for_the_ports_it_has_headers_for_else_none(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cc, "zig_version", lambda: "0.99.0")
    env = {"CC": "clang", "PATH": ""}
    script, target = shlex.split(_cc("linux", "386", env, tmp_path))[0::2]
    assert target == zig_target("linux", "386") == "x86-linux-gnu"
    assert script == os.path.join(tmp_path, "cgo", "zig-0.99.0", "cc")  # names the version
    assert os.access(script, os.X_OK)
    assert _cc("openbsd", "amd64", env, tmp_path) == ""
    monkeypatch.setattr(cc, "zig_version", lambda: "")  # the extra is not installed
    assert _cc("linux", "386", env, tmp_path) == ""


def test_the_zig_script_keeps_zigs_cache_under_crossvets(tmp_path: Path) -> None:
    script = cc.zig_script(str(tmp_path), "0.99.0")
    fake = tmp_path / "python"  # stands for the interpreter: prints zig's cache variables
    text = Path(script).read_text().replace(shlex.quote(sys.executable), str(fake))
    Path(script).write_text(text)
    fake.write_text("#!/bin/sh\necho \"$ZIG_GLOBAL_CACHE_DIR $ZIG_LOCAL_CACHE_DIR $*\"\n")
    fake.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZIG_")}
    out = subprocess.run([script, "-c", "x.c"], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    zig = str(tmp_path / "zig")
    assert out == [zig, zig, "-m", "ziglang", "cc", "-c", "x.c"]
