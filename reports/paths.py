"""Where the module sits in the repository: GitHub wants paths relative to the repository root.

Findings name files relative to the module root; annotations and SARIF need them relative to the
checkout (`GITHUB_WORKSPACE`), which differs when the module is in a subdirectory.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Mapping


def repo_root(module_dir: str, env: Mapping[str, str]) -> str:
    """GITHUB_WORKSPACE when it contains the module, else the nearest directory with `.git`."""
    module_dir = os.path.abspath(module_dir)
    workspace = env.get("GITHUB_WORKSPACE", "")
    if workspace:
        ws = os.path.abspath(workspace)
        if module_dir == ws or module_dir.startswith(ws.rstrip(os.sep) + os.sep):
            return ws
    here = module_dir
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return module_dir
        here = parent


def module_prefix(module_dir: str, env: Mapping[str, str]) -> str:
    """The module's directory relative to the repository root, slash-separated; "" at the root."""
    rel = os.path.relpath(os.path.abspath(module_dir), repo_root(module_dir, env))
    return "" if rel == "." else posixpath.join(*rel.split(os.sep))


def repo_path(file: str, prefix: str) -> str:
    """A finding's file relative to the repository root; "" when it is outside the module."""
    if not file or os.path.isabs(file) or file.startswith("../"):
        return ""
    return posixpath.join(prefix, file) if prefix else file


def placed(file: str, module: str, prefix: str) -> str:
    """Where a finding is shown, relative to the repository root: its file, or, for a problem
    with no file in the module (a package that does not load), its module's go.mod (in a run of
    several modules, the finding's module's)."""
    path = repo_path(file, prefix)
    if path:
        return path
    gomod = posixpath.join(module, "go.mod") if module and module != "." else "go.mod"
    return posixpath.join(prefix, gomod) if prefix else gomod
