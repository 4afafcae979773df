"""Every go command crossvet runs itself is bounded and, when it hangs, says which one it was;
a failed write leaves nothing behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from checker import atomic, probe, toolchain
from checker.commands import GoCommand
from checker.proc import ProcResult
from crossvet import ghapi
from matrix.errors import InfraError, UsageError


def _hanging_go(tmp_path: Path) -> str:
    go = tmp_path / "go"
    go.write_text("#!/bin/sh\nsleep 30\n")
    go.chmod(go.stat().st_mode | stat.S_IXUSR)
    return str(go)


def test_a_hanging_go_env_is_killed_at_the_bound_and_named(tmp_path: Path) -> None:
    with pytest.raises(InfraError,
                       match=r"`.*/go env GOROOT GOVERSION GOMODCACHE` timed out after 0.3s"):
        toolchain.find({"PATH": os.defpath}, _hanging_go(tmp_path), timeout=0.3)


@pytest.mark.parametrize(("timeout", "bound"), [
    (None, toolchain.PROBE_TIMEOUT), (5.0, 5.0), (600.0, toolchain.PROBE_TIMEOUT)])
def test_probes_follow_a_shorter_timeout_and_are_never_unbounded(
        timeout: float | None, bound: float) -> None:
    assert toolchain.probe_timeout(timeout) == bound


class _TimingOut:
    """A backend whose every go command times out, recording the bounds it was given."""

    go_version = "go1.27.3"

    def __init__(self) -> None:
        self.bounds: list[float | None] = []

    def go(self, cmd: GoCommand, *, timeout: float | None) -> ProcResult:
        self.bounds.append(timeout)
        return ProcResult(argv=("go", *cmd.args), exit_code=None, stdout="", stderr="",
                          duration=timeout or 0.0, timed_out=True)


@pytest.mark.parametrize(("ask", "named"), [
    (lambda b: probe.ports(b, "", timeout=2.0), "`go tool dist list -json` (planning)"),
    (lambda b: probe.host_platform(b, timeout=2.0), "`go env GOHOSTOS GOHOSTARCH` (planning)"),
    (lambda b: probe.variant_defaults(b, ["arm"], timeout=2.0), "`go env -json GOARM`"),
])
def test_a_probe_that_times_out_says_which_command(ask: Any, named: str) -> None:
    backend = _TimingOut()
    with pytest.raises(InfraError) as info:
        ask(backend)
    assert str(info.value).startswith(named)
    assert "timed out after 2s and was killed" in str(info.value)
    assert backend.bounds == [2.0]


def test_a_failed_atomic_write_leaves_nothing_behind(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    with pytest.raises(OSError):
        atomic.write_text(str(tmp_path / "d"), "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d"]
    assert list((tmp_path / "d").iterdir()) == []


@pytest.mark.parametrize("url", ["api.github.com", "ftp://api.github.com", "https://",
                                 "http://[::1", "https://api.github.com:0", "https:// x.com",
                                 "file:///etc/passwd"])
def test_a_bad_api_url_is_refused(url: str) -> None:
    with pytest.raises(UsageError, match="GITHUB_API_URL must be an http"):
        ghapi.check_api_url(url)


@pytest.mark.parametrize("url", ["https://api.github.com", "http://127.0.0.1:8080/api/v3"])
def test_a_good_api_url_is_kept(url: str) -> None:
    assert ghapi.check_api_url(url) == url
