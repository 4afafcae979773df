"""The installed version of a Python distribution (crossvet's own, the `ziglang` wheel's), as
`importlib.metadata.version` answers it, without importing importlib.metadata when it can:
that import (email parsing, zip files) costs a warm `crossvet check` more than its plan does.

A wheel is installed as `<name>-<version>.dist-info` in a directory of `sys.path` (PEP 427;
the name with runs of `-_.` as `_`), and importlib.metadata takes the first distribution of
that name along `sys.path`. So does `version` here, from the directory's name; whenever the
layout is anything else (an `.egg-info`, a zip on sys.path, a name without a version), it asks
importlib.metadata.
"""

from __future__ import annotations

import functools
import os
import re
import sys


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _from_dirs(name: str, path: list[str]) -> str | None:
    """The version in the first `<name>-<version>.dist-info` along `path`; None when the
    layout leaves any doubt (importlib.metadata decides then)."""
    want = _normal(name)
    for entry in path:
        try:
            names = os.listdir(entry or ".")
        except NotADirectoryError:
            return None  # a zip file: importlib.metadata reads those
        except OSError:
            continue  # importlib.metadata skips what does not exist
        here = [f for f in names if f.endswith((".dist-info", ".egg-info"))
                and _normal(f.rpartition(".")[0].split("-", 1)[0]) == want]
        if not here:
            continue
        stem, _, ext = here[0].rpartition(".")
        found = stem.partition("-")[2]
        if len(here) > 1 or ext != "dist-info" or not found or "-" in found:
            return None
        return found
    return None


@functools.cache
def version(name: str) -> str:
    """The installed version of distribution `name`; "" when it is not installed."""
    found = _from_dirs(name, sys.path)
    if found is not None:
        return found
    import importlib.metadata  # noqa: PLC0415 (deliberately lazy: the point of this module)
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return ""
