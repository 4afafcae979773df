"""The daemon side of a container run: connect, make sure an image is there, prepare the cache.
Each failure is an InfraError that names the cause."""

from __future__ import annotations

import io
import os
import tarfile
from collections.abc import Mapping
from typing import Any

import docker
import docker.errors
import requests
from docker.utils import parse_repository_tag

from checker.docker import container as ct
from matrix.errors import InfraError


def connect(env: Mapping[str, str], *, pool: int) -> Any:
    """A client for the daemon DOCKER_HOST (or the default socket) names, known to answer."""
    where = env.get("DOCKER_HOST") or "the default socket (unix:///var/run/docker.sock)"
    try:
        client = docker.from_env(environment=dict(env) or {"_": ""}, max_pool_size=pool,
                                 timeout=120)
        client.ping()
    except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
        raise InfraError(f"cannot reach the Docker daemon at {where}: {short(exc)}. Is dockerd "
                         "running, and may this user use it? (or run with --runner local)"
                         ) from exc
    return client


def short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) < 300 else text[:300] + "..."


def ensure_image(client: Any, image: str) -> None:
    """Use the local image; pull it only when missing. Either way it exists afterwards."""
    try:
        client.images.get(image)
        return
    except docker.errors.ImageNotFound:
        pass
    except (docker.errors.APIError, requests.exceptions.RequestException) as exc:
        raise InfraError(f"cannot look up Docker image {image}: {short(exc)}") from exc
    repo, tag = parse_repository_tag(image)
    try:
        client.images.pull(repo, tag=tag or "latest")
    except (docker.errors.DockerException, requests.exceptions.RequestException) as exc:
        explanation = getattr(exc, "explanation", None) or short(exc)
        raise InfraError(f"Docker image {image} is not on this machine and cannot be pulled: "
                         f"{explanation}. Pull or load it first, or pass --image with an image "
                         "that has Go") from exc


def prepare_cache(client: Any, cache: str, image: str, *, uid: int, gid: int,
                  labels: Mapping[str, str]) -> str:
    """Create the cache's two directories, owned by the container user. Returns the mount source.

    A host directory is created (and, when we are root, handed to the container user); a named
    volume gets its directories through the daemon, from a container that never starts.
    """
    if cache.startswith("volume:"):
        name = cache.removeprefix("volume:")
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            for sub in ct.CACHE_SUBDIRS:
                info = tarfile.TarInfo(sub)
                info.type, info.mode, info.uid, info.gid = tarfile.DIRTYPE, 0o755, uid, gid
                tar.addfile(info)
        holder = client.containers.create(image=image, command=["go", "version"],
                                          network_mode="none",
                                          labels={ct.LABEL: "1", **labels},
                                          volumes={name: {"bind": ct.CACHE, "mode": "rw"}})
        try:
            holder.put_archive(ct.CACHE, buf.getvalue())
        finally:
            ct.remove(holder)
        return name
    for sub in ct.CACHE_SUBDIRS:
        path = os.path.join(cache, sub)
        os.makedirs(path, exist_ok=True)
        if os.getuid() == 0 and os.stat(path).st_uid != uid:
            for root, dirs, files in os.walk(path):
                for name in (root, *(os.path.join(root, n) for n in dirs + files)):
                    os.lchown(name, uid, gid)
    return cache
