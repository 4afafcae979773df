"""The installed version of a Python distribution (crossvet's own, the `ziglang` wheel's), as
`importlib.metadata.version` answers it, without importing importlib.metadata when it can:
that import (email parsing, zip files) costs a warm `crossvet check` more than its plan does.

A wheel is installed as `<name>-<version>.dist-info` in a directory of `sys.path` (PEP 427;
the name with runs of `-_.` as `_`), and importlib.metadata takes the first distribution of
that name along `sys.path`. So does `version` here, from the directory's name, or from the
`Version:` header of a source tree's `<name>.egg-info/PKG-INFO` (an editable install's, first
on sys.path when crossvet runs from its checkout); whenever the layout is anything else (a zip
on sys.path, two candidates in one directory, no version found), it asks importlib.metadata.
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
        if len(here) > 1 or "-" in found:
            return None
        if ext == "egg-info" and not found:
            return _pkg_info_version(os.path.join(entry or ".", here[0], "PKG-INFO"))
        return found or None
    return None


def _pkg_info_version(path: str) -> str | None:
    """The `Version:` header of a PKG-INFO file (RFC 822 headers, then a blank line)."""
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    break
                key, sep, value = line.partition(":")
                if sep and key.strip().lower() == "version" and value.strip():
                    return value.strip()
    except (OSError, UnicodeDecodeError):
        pass
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
