"""`go tool dist list -json`, cached per Go version under the user's cache directory.

The cache file is `$XDG_CACHE_HOME/crossvet/dist-list-<goversion>.json` (or ~/.cache/...;
CROSSVET_CACHE_DIR overrides the directory). A missing, unreadable or corrupt cache is simply
rebuilt; failing to write it is not an error.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping

from checker import toolchain
from checker.toolchain import Toolchain
from crossvet.errors import UsageError
from matrix.targets import Port, parse_dist_list


def cache_dir(env: Mapping[str, str]) -> str:
    if env.get("CROSSVET_CACHE_DIR"):
        return env["CROSSVET_CACHE_DIR"]
    base = env.get("XDG_CACHE_HOME") or os.path.join(env.get("HOME") or os.path.expanduser("~"),
                                                     ".cache")
    return os.path.join(base, "crossvet")


def cache_path(tc: Toolchain, env: Mapping[str, str]) -> str:
    version = re.sub(r"[^A-Za-z0-9_.-]", "_", tc.version_text)
    return os.path.join(cache_dir(env), f"dist-list-{version}.json")


def ports(tc: Toolchain, env: Mapping[str, str]) -> tuple[Port, ...]:
    path = cache_path(tc, env)
    try:
        with open(path, encoding="utf-8") as fh:
            return parse_dist_list(fh.read())
    except (OSError, UsageError):
        pass
    text = toolchain.dist_list_json(tc, env)
    result = parse_dist_list(text)
    with contextlib.suppress(OSError):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.tmp{os.getpid()}"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    return result
