"""The backend table and the `runner` key name the same runners."""

from __future__ import annotations

import pytest

from checker.backends import BACKENDS, open_backend
from checker.proc import ProcessGroup
from matrix.config import RUNNERS
from matrix.errors import UsageError
from matrix.options import CheckOptions


def test_every_runner_the_config_accepts_has_a_backend() -> None:
    assert tuple(BACKENDS) == RUNNERS


def test_an_unknown_runner_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown runner 'podman'; valid runners: local, docker"):
        open_backend(CheckOptions(module_dir=".", runner="podman"), {}, ProcessGroup())
