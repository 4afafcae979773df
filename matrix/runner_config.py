"""Config keys of the container runner (docs/docker.md), in matrix.config's shape: each key has
a normaliser that accepts a YAML value or a flag/variable string and raises ValueError."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

RUNNERS = ("local", "docker")
_MEMORY_RE = re.compile(r"^\d+[bkmg]?$", re.IGNORECASE)


def _text(value: Any, key: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float) or not str(value):
        raise ValueError(f"{key} should be a string")
    return str(value).strip()


def _runner(value: Any) -> str:
    text = _text(value, "runner").lower()
    if text not in RUNNERS:
        raise ValueError(f"runner should be one of {', '.join(RUNNERS)}, got {value!r}")
    return text


def _memory(value: Any) -> str:
    text = _text(value, "memory").lower()
    if not _MEMORY_RE.match(text):
        raise ValueError(f"memory should be a size such as 512m or 4g, got {value!r}")
    return text


def _pids(value: Any) -> int:
    text = _text(value, "pids_limit")
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"pids_limit should be a whole number of at least 1, got {value!r}")
    return int(text)


def _image(value: Any) -> str:
    return _text(value, "image")


def _cache(value: Any) -> str:
    return _text(value, "docker_cache")


def _network(value: Any) -> str:
    return _text(value, "download_network")


# key -> (normaliser, environment variable, one-line help), merged into matrix.config.KEYS
RUNNER_KEYS: dict[str, tuple[Callable[[Any], Any], str, str]] = {
    "runner": (_runner, "CROSSVET_RUNNER", "where go runs: local or docker"),
    "image": (_image, "CROSSVET_IMAGE",
              "container image instead of golang:<version> ({version} is replaced)"),
    "memory": (_memory, "CROSSVET_MEMORY", "memory limit per container (default 4g)"),
    "pids_limit": (_pids, "CROSSVET_PIDS_LIMIT",
                   "processes and threads per container (default 4096)"),
    "docker_cache": (_cache, "CROSSVET_DOCKER_CACHE",
                     "GOCACHE/GOMODCACHE directory, or volume:NAME"),
    "download_network": (_network, "CROSSVET_DOWNLOAD_NETWORK",
                         "network of the module-download container (default bridge)"),
}
