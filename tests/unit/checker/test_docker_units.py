"""The container runner's pure parts: versions and images, container arguments, the sweep's
decision, option resolution. No daemon needed."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from checker.docker import container as ct
from checker.docker import images as img
from checker.docker.session import docker_settings
from checker.docker.sweep import STALE, is_leftover
from matrix.errors import ConfigError, UsageError
from matrix.options import resolve_check


def test_gomod_version_prefers_toolchain_over_go_line() -> None:
    assert img.gomod_version("module m\n\ngo 1.22\n\ntoolchain go1.23.4\n") == "1.23.4"
    assert img.gomod_version("module m\n\ngo 1.21.0 // comment\n") == "1.21.0"
    assert img.gomod_version("module m\n") == ""


def test_go_versions_requested_else_gomod() -> None:
    assert img.go_versions(("go1.22", "1.23.1", "1.22"), "go 1.20\n") == ("1.22", "1.23.1")
    assert img.go_versions((), "module m\ngo 1.21\n") == ("1.21",)
    with pytest.raises(UsageError, match="--go-version"):
        img.go_versions((), "module m\n")
    with pytest.raises(UsageError, match="bad Go version"):
        img.go_versions(("1.22", "latest"), "")


def test_images_default_override_and_version_placeholder() -> None:
    assert img.images(("1.22",)) == {"1.22": "golang:1.22"}
    assert img.images(("1.22",), "mirror.local/go:x") == {"1.22": "mirror.local/go:x"}
    assert img.images(("1.22", "1.23"), "m/golang:{version}-alpine") == {
        "1.22": "m/golang:1.22-alpine", "1.23": "m/golang:1.23-alpine"}
    with pytest.raises(UsageError, match=r"\{version\}"):
        img.images(("1.22", "1.23"), "m/golang:fixed")


def test_requirements_and_file_proxies() -> None:
    assert img.has_requirements("module m\n\nrequire (\n\tx.y/z v1.0.0\n)\n")
    assert not img.has_requirements("module m\n\ngo 1.21\n// require nothing\n")
    assert img.file_proxy_dirs("file:///srv/proxy|https://proxy.golang.org,file:///b,off") == (
        "/srv/proxy", "/b")


def _sandbox() -> ct.Sandbox:
    return ct.Sandbox(image="golang:1.22", source="/home/u/mod", cache="/home/u/.cache/cv",
                      uid=1000, gid=1001, labels={"crossvet.run": "r1"},
                      limits=ct.Limits(memory="1g", pids=100))


def test_check_container_arguments_are_locked_down() -> None:
    args = ct.create_args(_sandbox(), command=["go", "vet", "./..."],
                          env=ct.base_env(download=False, passthrough={"GOPROXY": "https://p"}))
    assert args["network_mode"] == "none"
    assert args["volumes"]["/home/u/mod"] == {"bind": "/src", "mode": "ro"}
    assert args["volumes"]["/home/u/.cache/cv"] == {"bind": "/cache", "mode": "rw"}
    assert args["user"] == "1000:1001" and args["working_dir"] == "/src"
    assert args["read_only"] is True and args["cap_drop"] == ["ALL"]
    assert args["security_opt"] == ["no-new-privileges"]
    assert args["tmpfs"]["/tmp"].endswith("uid=1000,gid=1001")
    assert (args["mem_limit"], args["memswap_limit"], args["pids_limit"]) == ("1g", "1g", 100)
    assert args["labels"] == {"crossvet": "1", "crossvet.run": "r1"}
    env = args["environment"]
    assert env["GOPROXY"] == "off"  # the check phase never downloads
    assert env["GOFLAGS"] == "-mod=readonly -buildvcs=false"
    assert env["GOCACHE"] == "/cache/go-build" and env["GOMODCACHE"] == "/cache/mod"


def test_download_container_keeps_the_proxy_and_mounts_file_proxies() -> None:
    env = ct.base_env(download=True, passthrough={"GOPROXY": "file:///srv/p"})
    args = ct.create_args(_sandbox(), command=["go", "mod", "download"], env=env,
                          network="bridge", read_only_mounts=["/srv/p"])
    assert args["environment"]["GOPROXY"] == "file:///srv/p"
    assert args["network_mode"] == "bridge"
    assert args["volumes"]["/srv/p"] == {"bind": "/srv/p", "mode": "ro"}


def test_root_callers_get_nobody() -> None:
    assert ct.container_user(0, 0) == ct.NOBODY
    assert ct.container_user(1000, 100) == (1000, 100)


NOW = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc)


def _attrs(*, host: str, pid: str, running: bool, finished_min_ago: float) -> dict[str, object]:
    finished = (NOW - dt.timedelta(minutes=finished_min_ago)).strftime("%Y-%m-%dT%H:%M:%S")
    return {"Config": {"Labels": {"crossvet": "1", "crossvet.host": host, "crossvet.pid": pid}},
            "State": {"Running": running, "FinishedAt": finished + ".123456789Z"},
            "Created": "2026-01-01T00:00:00.0Z"}


@pytest.mark.parametrize(("host", "pid", "running", "age", "expected"), [
    ("me", "4242", True, 0, True),  # our host, its process is gone: leftover even if running
    ("me", "4243", False, 0, False),  # our host, its process lives: a concurrent run
    ("me", str(os.getpid()), False, 60, False),  # this very process
    ("other", "4242", True, 60, False),  # another host's running container: maybe alive
    ("other", "4242", False, STALE / 60 + 1, True),  # stopped long ago
    ("other", "4242", False, 1, False),  # stopped a moment ago: its run may be reading it
])
def test_sweep_decision(host: str, pid: str, running: bool, age: float, expected: bool) -> None:
    attrs = _attrs(host=host, pid=pid, running=running, finished_min_ago=age)
    assert is_leftover(attrs, host="me", now=NOW, alive=lambda p: p == 4243) is expected


def test_docker_options_resolve_flags_over_environment_over_file(tmp_path: Path) -> None:
    env = {"CROSSVET_RUNNER": "docker", "CROSSVET_MEMORY": "2G", "HOME": str(tmp_path)}
    opts = resolve_check({"path": str(tmp_path), "go_versions": "1.22,1.23",
                          "pids_limit": "50"}, env,
                         config_text="memory: 1g\nimage: m/go:{version}\ndocker_cache: c\n",
                         config_source=".crossvet.yaml")
    assert (opts.runner, opts.memory, opts.pids_limit) == ("docker", "2g", 50)
    assert (opts.image, opts.go_versions) == ("m/go:{version}", ("1.22", "1.23"))
    (tmp_path / "go.mod").write_text("module m\n\ngo 1.22\n")
    settings = docker_settings(opts)
    assert settings.cache == str(tmp_path / "c")  # relative to the module: it came from the file
    assert settings.limits == ct.Limits(memory="2g", pids=50)
    default = docker_settings(resolve_check({"path": str(tmp_path)}, env))
    assert default.cache == str(tmp_path / ".cache" / "crossvet" / "docker")
    with pytest.raises(ConfigError, match="CROSSVET_RUNNER"):
        resolve_check({"path": "."}, {"CROSSVET_RUNNER": "podman"})
    with pytest.raises(ConfigError, match="--memory"):
        resolve_check({"path": ".", "memory": "lots"}, {})
    with pytest.raises(ConfigError, match=r"\.crossvet\.yaml:1: pids_limit"):
        resolve_check({"path": "."}, {}, config_text="pids_limit: 0\n",
                      config_source=".crossvet.yaml")


def test_settings_take_the_version_from_gomod(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module m\n\ngo 1.22\n\ntoolchain go1.22.5\n")
    env = {"HOME": str(tmp_path)}
    settings = docker_settings(resolve_check({"path": str(tmp_path)}, env))
    assert settings.versions == ("1.22.5",)
    assert settings.images == {"1.22.5": "golang:1.22.5"}
    two = docker_settings(resolve_check({"path": str(tmp_path), "go_versions": "1.21,1.22",
                                       "image": "mirror/go:{version}"}, env))
    assert two.images == {"1.21": "mirror/go:1.21", "1.22": "mirror/go:1.22"}
