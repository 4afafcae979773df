"""The backend table and the `runner` key name the same runners; the local backend runs the
engine within the memory budget."""

from __future__ import annotations

import math
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from checker import local
from checker.backends import BACKENDS, open_backend
from checker.docker import session
from checker.engine_build import EngineSite
from checker.proc import ProcessGroup
from checker.toolchain import Toolchain
from matrix.config import RUNNERS
from matrix.errors import InfraError, UsageError
from matrix.options import CheckOptions


def test_every_runner_the_config_accepts_has_a_backend() -> None:
    assert tuple(BACKENDS) == RUNNERS
    assert session.NAME in BACKENDS


def test_a_local_run_does_not_import_the_docker_sdk() -> None:
    code = ("import sys, crossvet.cli, checker.backends; "
            "sys.exit(1 if 'docker' in sys.modules or 'requests' in sys.modules else 0)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_an_unknown_runner_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown runner 'podman'; valid runners: local, docker"):
        open_backend(CheckOptions(module_dir=".", runner="podman"), {}, ProcessGroup())


@pytest.mark.parametrize(("memory", "beside", "want"), [
    (448, 40, 408),  # crossvet's own memory comes out of the budget
    (448, 0, 448),
    (100, 90, local.MIN_ENGINE_MB),  # never less than a floor
    (0, 40, 0),  # no budget: Go's default collector
])
def test_the_engine_gets_the_budget_less_what_runs_beside_it(memory: int, beside: int,
                                                             want: int) -> None:
    assert local.engine_budget(memory, beside) == want


def test_a_local_engine_run_leaves_crossvets_own_memory_out_of_the_budget(
        tmp_path: Path) -> None:
    # A stand-in engine that answers with the memory_mb of the request it was given.
    fake = tmp_path / "engine"
    fake.write_text(f"#!{sys.executable}\nimport json, sys\n"
                    "print(json.load(open(sys.argv[1]))['memory_mb'])\n")
    fake.chmod(0o755)
    tc = Toolchain(go="/nonexistent/go", goroot="/nonexistent", version=(1, 27, 0))
    backend = local.LocalBackend(toolchain=tc, module_dir=str(tmp_path), env=dict(os.environ),
                                 group=ProcessGroup(), cache_dir=str(tmp_path / "cache"))
    site = EngineSite(engine=str(fake), go=tc.go, goroot=tc.goroot, module_dir=str(tmp_path),
                      results_dir="")
    own = math.ceil(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    got = int(backend.run_engine(site, {"memory_mb": 4096}, timeout=60).stdout)
    assert own > 0 and got <= 4096 - own


@pytest.mark.parametrize(("checks", "vet", "refused"), [
    (("typecheck", "vet"), "engine", True),  # the default
    (("vet",), "engine", True),
    (("vet", "build"), "go", False),  # what an older Go can check
    (("build",), "engine", False),
])
def test_an_older_go_is_refused_once_when_the_engine_is_asked_for(
        tmp_path: Path, checks: tuple[str, ...], vet: str, refused: bool) -> None:
    go = tmp_path / "go"  # a stand-in for go1.21: `go env GOROOT GOVERSION`
    go.write_text(f"#!/bin/sh\necho {tmp_path}\necho go1.21.13\n")
    go.chmod(0o755)
    opts = CheckOptions(module_dir=str(tmp_path), checks=checks, vet=vet, go=str(go))
    if refused:
        with (pytest.raises(InfraError, match=r"needs Go 1\.22 or later; go1\.21\.13 is in use"),
              local.open_backend(opts, {"PATH": os.defpath}, ProcessGroup())):
            pass
    else:
        with local.open_backend(opts, {"PATH": os.defpath}, ProcessGroup()) as backend:
            assert backend.go_version == "go1.21.13"
