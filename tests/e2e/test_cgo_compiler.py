"""cgo checked with real C types per target (docs/typecheck.md, cgo): with a C compiler for the
target (zig from the `crossvet[cgo]` extra, or this machine's `cc` for its own platform) the
engine type-checks cgo's output for it; without one, one status line and no finding."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CliRunner, gocache_dir
from tests.helpers.typecheck_helpers import build_engine, cli_env

FILES = {
    "go.mod": "module example.com/cgolong\n\ngo 1.22\n",
    "cgo.go": """//go:build cgo

package cgolong

/*
#include <stdlib.h>
static long twice(long x) { return 2 * x; }
*/
import "C"

// Big overflows where C's long is 32 bits.
func Big() C.long { return C.long(1 << 40) }

// Over overflows C's int everywhere.
func Over() C.int { return C.int(1<<31-1) + 1 }

func Twice(x int) int { return int(C.twice(C.long(x))) }
""",
    "nocgo.go": """//go:build !cgo

package cgolong

func Twice(x int) int { return 2 * x }
""",
}
LONG = "constant 1099511627776 overflows _Ctype_long"
INT = "overflows int32"


@pytest.fixture(scope="module")
def engine(go_env: dict[str, str]) -> str:
    return build_engine(go_env)


def _module(tmp: Path) -> Path:
    mod = tmp / "cgolong"
    mod.mkdir()
    for name, text in FILES.items():
        (mod / name).write_text(text)
    return mod


def _check(cli: CliRunner, engine: str, tmp: Path, targets: str, cgo: str = "on",
           **env: str) -> tuple[str, dict[str, Any]]:
    out = tmp / "results.json"
    res = cli("check", str(_module(tmp)), "--targets", targets, "--cgo", cgo, "--checks",
              "typecheck,vet", "--json", str(out), env={**cli_env(engine, str(tmp)), **env})
    assert res.err == "", res.err
    return res.out, json.loads(out.read_text())


def _where(data: dict[str, Any], text: str) -> list[str]:
    return sorted(t for f in data["findings"] if text in f["message"] and f["file"] == "cgo.go"
                  for t in f["targets"])


def test_c_long_overflows_where_c_long_is_32_bits(cli: CliRunner, engine: str,
                                                   tmp_path: Path) -> None:
    """zig for linux/386, windows/amd64 and linux/arm64 (about a second each, cold: only cgo
    runs, no C library is built), the host's cc for linux/amd64; one zig cache for the suite."""
    pytest.importorskip("ziglang")
    zig = os.path.join(os.path.dirname(gocache_dir()), "zig")
    out, data = _check(cli, engine, tmp_path,
                       "linux/amd64,linux/386,windows/amd64,linux/arm64",
                       ZIG_GLOBAL_CACHE_DIR=zig, ZIG_LOCAL_CACHE_DIR=zig)
    assert _where(data, LONG) == ["linux/386 +cgo", "windows/amd64 +cgo"]
    assert _where(data, INT) == ["linux/386 +cgo", "linux/amd64 +cgo", "linux/arm64 +cgo",
                                 "windows/amd64 +cgo"]
    assert all(f["category"] == "overflow" for f in data["findings"]), data["findings"]
    assert len(data["findings"]) == 2, data["findings"]  # no vet finding, no panic
    assert "cgo not checked" not in out and "panic" not in out
    for line, text in ((12, LONG), (15, INT)):  # at the user's line, not cgo's output's
        assert all(f["line"] == line for f in data["findings"] if text in f["message"])


def test_without_a_c_compiler_one_status_line_and_no_finding(cli: CliRunner, engine: str,
                                                             tmp_path: Path) -> None:
    """openbsd/amd64 has no C compiler from the extra (zig has no C headers for it)."""
    out, data = _check(cli, engine, tmp_path, "openbsd/amd64")
    assert data["findings"] == []
    lines = [ln for ln in out.splitlines() if "cgo not checked" in ln]
    assert len(lines) == 1, out
    assert "cgo not checked on openbsd/amd64 +cgo: no C compiler; install crossvet[cgo]" in lines[0]


def test_by_default_cgo_files_are_checked_with_cgo_on_too_where_there_is_a_compiler(
        cli: CliRunner, engine: str, tmp_path: Path) -> None:
    """`cgo: auto`: linux/386 and windows/amd64 (zig) get a +cgo job next to cgo off;
    openbsd/amd64 has no C compiler: one status line, checked with cgo off only."""
    pytest.importorskip("ziglang")
    zig = os.path.join(os.path.dirname(gocache_dir()), "zig")
    out, data = _check(cli, engine, tmp_path, "linux/386,windows/amd64,openbsd/amd64",
                       cgo="auto", ZIG_GLOBAL_CACHE_DIR=zig, ZIG_LOCAL_CACHE_DIR=zig)
    assert [t["id"] for t in data["targets"]] == [
        "linux/386", "linux/386 +cgo", "windows/amd64", "windows/amd64 +cgo", "openbsd/amd64"]
    assert _where(data, LONG) == ["linux/386 +cgo", "windows/amd64 +cgo"]
    lines = [ln for ln in out.splitlines() if "cgo not checked" in ln]
    assert len(lines) == 1 and "cgo not checked on openbsd/amd64: no C compiler" in lines[0], out
