"""Build the type-check engine (Go source shipped in checker/engine) with the user's own `go`.

The binary is cached under `<cache_dir>/engine/`, named by the Go version, the host platform and
a hash of the engine's source, so a new Go or a new crossvet builds a new one and nothing stale
is ever run.

It is built with vet's analyzers, offline, from that Go's own vendored golang.org/x/tools:
vetprep (built, then run) lays out a build directory (the engine's files, `vendor/` ->
$GOROOT/src/cmd/vendor, cmd's go.mod renamed, the release's analyzer list), then `go build
-mod=vendor -tags crossvet_vet` builds it there. A Go without that tree gets the
standard-library-only engine, which answers a request for vet with an error (`--vet go`
still works).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from checker import atomic, cc, proc
from checker.toolchain import Toolchain, go_env
from matrix.errors import InfraError

ENGINE_SRC = Path(__file__).resolve().parent / "engine"
# Told, as a sentence for people, when the engine is built and when it is ready.
Notify = Callable[[str], None]


def quiet(_: str) -> None:
    """A Notify that says nothing."""


def building(version: tuple[int, int, int], how: str = "(first run only)") -> str:
    return "building the type-check engine with go{}.{}.{} {}...".format(*version, how)


def built(seconds: float) -> str:
    return f"built the type-check engine in {seconds:.1f}s"

BUILD_TIMEOUT = 900.0
MIN_GO = (1, 22, 0)  # the engine uses types.Info.FileVersions (Go 1.22)
# Variables that would make `go build` produce a binary for another platform or fail.
_TARGET_VARS = ("GOOS", "GOARCH", "GOARM", "GO386", "GOAMD64", "GOARM64", "GOMIPS", "GOMIPS64",
                "GOPPC64", "GORISCV64", "GOWASM", "GOEXPERIMENT")


VET_TAG = "crossvet_vet"
PREP_UNSUPPORTED = 3  # vetprep's exit status when the Go has no vendored analysis framework


def source_files(src: Path = ENGINE_SRC) -> list[Path]:
    """What the engine is built from: go.mod and every non-test .go file of its packages
    (the main package, narrow/, vetprep/; not testdata/). Package data must list each."""
    found: list[Path] = []
    for top, dirs, names in os.walk(src):  # os.walk, not rglob: half the time of the hash
        dirs[:] = [d for d in dirs if d != "testdata"]  # testdata/ is most of the tree
        found += (Path(top, n) for n in names
                  if (n.endswith(".go") and not n.endswith("_test.go"))
                  or (n == "go.mod" and top == str(src)))
    files = sorted(found)
    if not files:
        raise InfraError(f"the typecheck engine's source is missing from {src}")
    return files


def source_hash(src: Path = ENGINE_SRC) -> str:
    return _shipped_hash() if src == ENGINE_SRC else _hash(src)


@functools.cache  # the shipped source does not change under a running crossvet
def _shipped_hash() -> str:
    return _hash(ENGINE_SRC)


def _hash(src: Path) -> str:
    h = hashlib.sha256()
    for f in source_files(src):
        h.update(str(f.relative_to(src)).encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def identity(version: tuple[int, int, int]) -> str:
    """What a built engine (and so its result cache) depends on: Go, host, engine source.
    A container's engine is named the same way (the host's platform is the daemon's)."""
    host = f"{cc.system().lower()}-{cc.machine().lower()}"
    return "go{}.{}.{}".format(*version) + f"-{host}-{source_hash()}"


@dataclass(frozen=True, kw_only=True)
class EngineSite:
    """Where a backend runs the engine, as the engine sees it: its binary, the `go` it lists
    with, GOROOT, the module directory and the result cache directory."""

    engine: str
    go: str
    goroot: str
    module_dir: str
    results_dir: str
    # `go env GOMODCACHE` ("": not known): the run cache's key says which required modules
    # are there (a module downloaded after a run that could not have it changes the answer)
    mod_cache: str = ""
    # goos, goarch -> the C compiler cgo gets for that target ("" none: checker/cc.py); only
    # an engine on this machine has one (in a container cgo files are checked with the fake).
    c_compiler: Callable[[str, str], str] = field(default=lambda _os, _arch: "", compare=False)


def build_env(env: Mapping[str, str]) -> dict[str, str]:
    """The caller's environment for a host build: no target variables, no cgo, no GOFLAGS."""
    out = {k: v for k, v in go_env(env).items() if k not in _TARGET_VARS}
    out.update(CGO_ENABLED="0", GOFLAGS="", GOWORK="off", GOTOOLCHAIN="local")
    return out


def check_version(version: tuple[int, int, int]) -> None:
    """The engine (typecheck, vet unless `--vet go`, analyzers:) builds with this Go, else an
    error saying what checks an older Go instead."""
    if version < MIN_GO:
        raise InfraError(
            "the type-check engine (typecheck, and vet unless --vet go) needs Go {}.{} or later; "
            "go{}.{}.{} is in use: use a newer Go, or `--checks vet,build --vet go` (go vet and "
            "go build per target)".format(*MIN_GO[:2], *version))


def ensure(tc: Toolchain, *, cache_dir: str, env: Mapping[str, str],
           group: proc.ProcessGroup | None = None, explicit: str = "",
           notify: Notify = quiet) -> str:
    """The engine binary: `explicit` if given, else the cached build, built now if missing."""
    if explicit:
        if not os.access(explicit, os.X_OK):
            raise InfraError(f"typecheck engine {explicit} is not an executable file")
        return explicit
    check_version(tc.version)
    path = os.path.join(cache_dir, "engine", f"engine-{identity(tc.version)}")
    if os.access(path, os.X_OK):
        return path
    notify(building(tc.version))
    start = time.monotonic()
    genv = build_env(env)
    build_dir = f"{path}.src"
    with atomic.replacing(path) as tmp:
        prep_build, prep_run = prepare_commands(tc.go, tc.goroot, build_dir)
        prep = proc.run(prep_build, env=genv, cwd=str(ENGINE_SRC), timeout=BUILD_TIMEOUT,
                        group=group)
        if prep.exit_code == 0:
            prep = proc.run(prep_run, env=genv, cwd=str(ENGINE_SRC), timeout=BUILD_TIMEOUT,
                            group=group)
        vet = prep.exit_code == 0
        if not vet and prep.exit_code != PREP_UNSUPPORTED:
            _failed(tc.go, prep)
        result = proc.run([tc.go, *build_args(tmp, vet=vet)], env=genv,
                          cwd=build_dir if vet else str(ENGINE_SRC), timeout=BUILD_TIMEOUT,
                          group=group)
        if result.exit_code != 0 or not os.path.exists(tmp):
            _failed(tc.go, result)
    shutil.rmtree(build_dir, ignore_errors=True)
    with contextlib.suppress(OSError):
        os.remove(prep_run[0])
    notify(built(time.monotonic() - start))
    return path


def _failed(go: str, result: proc.ProcResult) -> None:
    if result.timed_out:
        raise InfraError(f"building the typecheck engine (`{go} build`) timed out after "
                         f"{BUILD_TIMEOUT:g}s and was killed")
    detail = (result.stderr or result.stdout).strip() or "interrupted"
    raise InfraError(f"cannot build the typecheck engine with {go}: {detail}")


def prepare_commands(go: str, goroot: str, build_dir: str) -> tuple[list[str], list[str]]:
    """Two commands that lay out the build directory of the engine with vet's analyzers: build
    vetprep beside it (not `go run`: a container's /tmp is noexec), then run it; the second
    exits PREP_UNSUPPORTED when that Go has no analyzers to build in. Both run anywhere."""
    prep = f"{build_dir}.vetprep"
    return ([go, "-C", str(ENGINE_SRC), "build", "-trimpath", "-o", prep, "./vetprep"],
            [prep, "-goroot", goroot, "-src", str(ENGINE_SRC), build_dir])


def build_args(output: str, *, vet: bool = True) -> list[str]:
    """The `go` arguments that build the engine: with vet, in the build directory
    prepare_commands laid out; without, in its source directory (standard library only)."""
    if vet:
        return ["build", "-mod=vendor", f"-tags={VET_TAG}", "-trimpath", "-o", output, "."]
    return ["build", "-trimpath", "-o", output, "."]
