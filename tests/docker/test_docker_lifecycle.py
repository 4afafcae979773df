"""Containers are always removed (timeout, Ctrl-C, crashed earlier run), and infrastructure
failures (no daemon, no image, out of memory) are one clear message and exit 3."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import docker.errors
import pytest

from matrix.errors import EXIT_INFRA, EXIT_INTERRUPTED
from tests.conftest import ROOT, CliRunner, fixture
from tests.docker.conftest import fifo_module, labelled


@pytest.mark.docker
def test_timed_out_run_leaves_no_container(cli: CliRunner, tmp_path: Path, docker_client: Any,
                                           docker_args: list[str]) -> None:
    out = tmp_path / "r.json"
    res = cli("check", fifo_module(tmp_path / "hang"), "--targets", "linux/amd64,linux/386",
              "--timeout", "3", "--json", str(out), *docker_args)
    assert res.code == EXIT_INFRA, res.err
    data = json.loads(out.read_text())
    errors = [c["error"] for t in data["targets"] for c in t["checks"]]
    assert len(errors) == 4 and all("timed out" in e and "3s" in e for e in errors)
    assert labelled(docker_client, f"crossvet.pid={os.getpid()}") == []


@pytest.mark.docker
def test_interrupted_run_leaves_no_container(tmp_path: Path, go_env: dict[str, str],
                                             docker_client: Any, docker_args: list[str]) -> None:
    out = tmp_path / "r.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "crossvet", "check", fifo_module(tmp_path / "hang"), "--targets",
         "linux/amd64,linux/386", "--checks", "vet,build", "--vet", "go", "--json", str(out),
         *docker_args],
        cwd=ROOT, env=go_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # A shell's background job would inherit an ignored SIGINT; a terminal gives the default.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # noqa: PLW1509
    try:
        mine = f"crossvet.pid={proc.pid}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(
                [c for c in labelled(docker_client, mine) if c["State"] == "running"]) < 2:
            time.sleep(0.2)
        assert len(labelled(docker_client, mine)) == 2, "both jobs' containers should be running"
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == EXIT_INTERRUPTED, stderr
    assert "Traceback" not in stderr
    assert labelled(docker_client, mine) == []
    data = json.loads(out.read_text())
    assert data["interrupted"] is True, stdout


@pytest.mark.docker
def test_startup_sweep_removes_leftovers_of_a_crashed_run(
        cli: CliRunner, docker_client: Any, go_image: str, docker_args: list[str]) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    leftover = docker_client.containers.create(
        go_image, ["go", "version"], network_mode="none",
        labels={"crossvet": "1", "crossvet.host": socket.gethostname(),
                "crossvet.pid": str(dead.pid), "crossvet.run": "crashed"})
    try:
        res = cli("check", fixture("clean"), "--targets", "linux/amd64", *docker_args)
        assert res.code == 0, res.err
        assert "removed 1 container(s) an earlier run left" in res.out
        with pytest.raises(docker.errors.NotFound):
            docker_client.containers.get(leftover.id)
    finally:
        with contextlib.suppress(docker.errors.NotFound):
            leftover.remove(force=True)


def test_unreachable_daemon_is_exit_3_with_a_message(tmp_path: Path,
                                                     go_env: dict[str, str]) -> None:
    """Runs without a daemon too: DOCKER_HOST names a socket nobody listens on."""
    dead = tmp_path / "dead.sock"
    srv = socket.socket(socket.AF_UNIX)
    srv.bind(str(dead))
    srv.close()  # the file exists, nothing listens: connection refused
    out = tmp_path / "r.json"
    res = subprocess.run(
        [sys.executable, "-m", "crossvet", "check", fixture("clean"), "--runner", "docker",
         "--image", "crossvet-test-go:any", "--json", str(out)],
        check=False, cwd=ROOT, env={**go_env, "DOCKER_HOST": f"unix://{dead}"}, capture_output=True,
        text=True, timeout=120)
    assert res.returncode == EXIT_INFRA
    assert "Traceback" not in res.stderr
    assert f"cannot reach the Docker daemon at unix://{dead}" in res.stderr
    assert res.stderr.count("\n") == 1  # one line, no stack


@pytest.mark.docker
def test_missing_image_that_cannot_be_pulled_is_exit_3(cli: CliRunner, docker_cache: str,
                                                       docker_client: Any) -> None:
    # A registry on 127.0.0.1 where nothing listens: the pull fails at once, offline.
    image = "127.0.0.1:9/crossvet-test/none:1"
    res = cli("check", fixture("clean"), "--targets", "linux/amd64", "--runner", "docker",
              "--image", image, "--docker-cache", docker_cache)
    assert res.code == EXIT_INFRA
    assert f"Docker image {image} is not on this machine and cannot be pulled" in res.err


@pytest.mark.docker
def test_out_of_memory_is_named_and_results_are_written(
        cli: CliRunner, tmp_path: Path, docker_args: list[str], docker_client: Any) -> None:
    out = tmp_path / "r.json"
    # go build in its own container (the engine is built once per cache, not linked again
    # under this limit on every run; answered from its result cache it needs a few MB only).
    res = cli("check", fixture("clean"), "--targets", "linux/amd64", "--memory", "6m",
              "--checks", "build", "--json", str(out), *docker_args)
    assert res.code == EXIT_INFRA, res.err
    data = json.loads(out.read_text())
    checks = data["targets"][0]["checks"]
    assert {c["status"] for c in checks} == {"error"}
    assert all("OOMKilled" in c["error"] and "--memory" in c["error"] for c in checks)
    assert "OOMKilled" in res.out
    assert labelled(docker_client, f"crossvet.pid={os.getpid()}") == []


@pytest.mark.docker
def test_one_unusable_image_errors_its_jobs_and_the_others_still_report(  # noqa: PLR0917
        cli: CliRunner, tmp_path: Path, docker_client: Any, go_image: str, go_version: str,
        docker_cache: str) -> None:
    # The test image under a registry name on 127.0.0.1 where nothing listens: its version is
    # on this machine, another version would have to be pulled from there and cannot be.
    repo = "127.0.0.1:9/crossvet-test-go"
    docker_client.images.get(go_image).tag(repo, go_version)
    out = tmp_path / "r.json"
    res = cli("check", fixture("overflow"), "--targets", "linux/386", "--runner", "docker",
              "--image", repo + ":{version}", "--go-versions", f"{go_version},9.9",
              "--docker-cache", docker_cache, "--download-network", "none", "--json", str(out))
    assert res.code == EXIT_INFRA, res.err
    data = json.loads(out.read_text())
    by_name = {t["id"]: t for t in data["targets"]}
    assert by_name[f"linux/386 @go{go_version}"]["status"] == "fail"  # the overflow, found
    broken = by_name["linux/386 @go9.9"]
    assert broken["status"] == "error"
    assert all(f"Docker image {repo}:9.9 is not on this machine and cannot be pulled"
               in c["error"] for c in broken["checks"])
    assert [f["targets"] for f in data["findings"]] == [[f"linux/386 @go{go_version}"]]
