"""Which modules a run checks: the directory given is one module (a go.mod), a workspace (a
go.work: every `use`d module) or, with `--modules` / `modules:`, a tree of modules (every
go.mod under it). The I/O half of matrix/modules.py: it walks directories and reads go.work,
go.mod and each module's own .crossvet.yaml; the decisions are made there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from crossvet import configfile
from matrix import modules as mods
from matrix.config import CONFIG_NAMES
from matrix.errors import UsageError
from matrix.modules import Module

SKIPPED_DIRS = ("testdata", "vendor")  # and every directory named .* or _*: go skips them too

MODULE = "module"  # the directory is a module root: the run of one module it always was
WORKSPACE = "workspace"  # a go.work: its `use`d modules
TREE = "tree"  # --modules: every go.mod under the directory, selected


@dataclass(frozen=True, kw_only=True)
class Layout:
    root: str  # absolute: findings' paths are relative to it
    kind: str
    modules: tuple[Module, ...]  # the chosen modules, in directory order
    problems: tuple[tuple[str, str], ...] = ()  # (module dir, why it cannot be checked)

    @property
    def several(self) -> bool:
        """A run of several modules: jobs and results carry their module. A workspace or tree
        holding only the root module is the run of one module it would be without them."""
        return self.kind != MODULE and [m.dir for m in self.modules] != ["."]

    @property
    def checkable(self) -> tuple[Module, ...]:
        bad = {d for d, _ in self.problems}
        return tuple(m for m in self.modules if m.dir not in bad)


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError):
        return None


def _module(root: str, rel: str) -> Module:
    text = _read(os.path.join(root, rel, "go.mod"))
    if text is None:
        return Module(dir=rel, has_gomod=False)
    return Module(dir=rel, path=mods.module_path(text))


def walk(root: str) -> tuple[str, ...]:
    """Every directory under `root` holding a go.mod, relative (`.` for root), sorted; skips
    testdata/, vendor/ and hidden or `_` directories, and never follows a symlink."""
    found = []
    for here, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS
                         and not d.startswith((".", "_")))
        if "go.mod" in files:
            found.append(mods.clean_dir(os.path.relpath(here, root)))
    return tuple(sorted(found, key=lambda d: (d != ".", d.split("/"))))


def discover(root: str, selectors: tuple[str, ...], *, source: str = "--modules") -> Layout:
    root = os.path.abspath(root)
    if not os.path.isdir(root):
        what = "no such directory" if not os.path.exists(root) else "not a directory"
        raise UsageError(f"{root}: {what} (PATH is the Go module's root directory)")
    gowork = os.path.join(root, "go.work")
    if selectors:
        found = tuple(_module(root, d) for d in walk(root))
        if not found:
            raise UsageError(f"{root}: no go.mod under it (searched every directory but "
                             "testdata/, vendor/, hidden and _ ones)")
        chosen = mods.select(selectors, found, source=source)
        kind = TREE
    elif os.path.isfile(gowork):
        uses = mods.parse_gowork(gowork_text(root), source=gowork)
        if not uses:
            raise UsageError(f"{gowork}: uses no module")
        chosen = tuple(_module(root, d) for d in uses)
        kind = WORKSPACE
    elif os.path.isfile(os.path.join(root, "go.mod")):
        return Layout(root=root, kind=MODULE, modules=(_module(root, "."),))
    else:
        inside = _enclosing_module(root)
        if inside:
            rel = os.path.relpath(root, inside)
            raise UsageError(f"{root} is inside the module at {inside}, not its root: run "
                             f"`crossvet check {inside}` (with `--packages ./{rel}/...` for only "
                             "this directory)")
        raise UsageError(f"{root} is not a Go module root (no go.mod) nor a workspace (no "
                         "go.work); `--modules all` checks every go.mod under it")
    problems = mods.problems(chosen, workspace=kind == WORKSPACE)
    return Layout(root=root, kind=kind, modules=chosen,
                  problems=tuple((m.dir, problems[m.dir]) for m in chosen if m.dir in problems))


def _enclosing_module(path: str) -> str:
    """The nearest directory above `path` holding a go.mod, or ""."""
    here = os.path.dirname(path)
    while here != os.path.dirname(here):
        if os.path.isfile(os.path.join(here, "go.mod")):
            return here
        here = os.path.dirname(here)
    return ""


def gowork_text(root: str) -> str:
    """The text of the go.work in `root`."""
    path = os.path.join(root, "go.work")
    text = _read(path)
    if text is None:
        raise UsageError(f"{path}: cannot read")
    return text


def own_config(layout: Layout, module: Module) -> tuple[str, str] | None:
    """A module's own .crossvet.yaml (its text and how errors name it), if it has one."""
    if module.dir == ".":
        return None
    for name in CONFIG_NAMES:
        path = os.path.join(layout.root, module.dir, name)
        if os.path.isfile(path):
            shown = f"{module.dir}/{name}"
            return configfile.read(path, shown), shown
    return None
