"""The backend table and the `runner` key name the same runners."""

from __future__ import annotations

import subprocess
import sys

import pytest

from checker.backends import BACKENDS, open_backend
from checker.docker import session
from checker.proc import ProcessGroup
from matrix.config import RUNNERS
from matrix.errors import UsageError
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
