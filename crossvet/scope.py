"""What one `check` covers, before anything is planned: its options (flags, environment
and the config files, matrix/options.py) and its modules (one, a workspace's, or a tree's:
crossvet/discover.py), each with its own options, those go cannot load left out
(--keep-going) and the package patterns checked. crossvet/pipeline.py runs the rest."""

from __future__ import annotations

import contextlib
import hashlib
import os
import posixpath
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from checker import atomic, probe
from checker.backends import Backend
from crossvet import configfile, discover
from matrix import config
from matrix.config import BY_KEY, CONFIG_NAMES
from matrix.errors import (
    ConfigError,
    UsageError,
)
from matrix.ignores import in_module
from matrix.modules import Module, gowork_without
from matrix.options import CheckOptions, resolve_check

# ---- options: flags, environment and the module's config file -------------------------------

def read_config(path: str) -> str:
    """A config file's text (crossvet/configfile.py), named in errors as people see its path."""
    return configfile.read(path, _shown(path))


def find_config(module_dir: str, explicit: str = "") -> str:
    """The config file to read: --config / CROSSVET_CONFIG, else .crossvet.yaml if present."""
    if explicit:
        return explicit
    for name in CONFIG_NAMES:
        path = os.path.join(module_dir, name)
        if os.path.isfile(path):
            return path
    return ""


def _shown(path: str) -> str:
    """A path as error messages show it: relative to the working directory when inside it."""
    if not path:
        return ""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _root_config(flags: Mapping[str, Any], env: Mapping[str, str]) -> tuple[str | None, str]:
    """The root's config file: its text (None when there is none) and how errors name it."""
    module_dir = os.path.abspath(flags.get("path") or ".")
    path = find_config(module_dir,
                       flags.get("config") or env.get(BY_KEY["config"].variable, ""))
    return (read_config(path) if path else None), _shown(path)


def resolve_options(flags: Mapping[str, Any], env: Mapping[str, str],
                    cpu_count: int | None) -> CheckOptions:
    """Options from flags, environment and the module's config file (matrix/options.py)."""
    text, source = _root_config(flags, env)
    return resolve_check(flags, env, cpu_count, config_text=text, config_source=source)


# ---- the modules: one, a workspace's, or a tree's (crossvet/discover.py) ---------------------

@dataclass(frozen=True, kw_only=True)
class Scope:
    """What one run checks: its layout and, in a run of several modules, each module's options
    (its own .crossvet.yaml over the root's, under the same flags and environment)."""

    layout: discover.Layout
    options: tuple[tuple[Module, CheckOptions], ...] = ()
    problems: tuple[str, ...] = ()  # modules left out (--keep-going), one message each
    notes: tuple[str, ...] = ()  # what the run says at its start (the plan's notes)

    @property
    def module(self) -> str:
        """The results' `module`: the module path of a run of one module, else ''."""
        return "" if self.layout.several else self.layout.modules[0].path


def resolve_scope(opts: CheckOptions, flags: Mapping[str, Any],
                  env: Mapping[str, str]) -> tuple[CheckOptions, Scope]:
    """Find the modules (a module root, a go.work, or --modules) and resolve each one's options.
    Modules that cannot be checked are left out; probe_modules adds those go cannot load and
    stops the run unless --keep-going."""
    source, _ = opts.origin("modules")
    layout = discover.discover(opts.module_dir, opts.modules, source=source or "--modules")
    if not layout.several:
        return opts, Scope(layout=layout)
    problems = tuple(why for _, why in layout.problems)  # said with go's, by probe_modules
    text, config_source = _root_config(flags, env)
    per = []
    notes = []
    for m in layout.checkable:
        mflags = {**flags, "path": os.path.join(layout.root, m.dir)}
        own = discover.own_config(layout, m)
        mopts = resolve_check(mflags, env, opts.jobs, config_text=text,
                              config_source=config_source, module_config=own)
        if own is not None:
            notes.extend(_run_wide(*own))
        if own is not None and mopts.origin("ignore")[0] == own[1]:
            # its own `ignore:` paths are relative to the module; the root's, to the root
            mopts = replace(mopts, ignores=tuple(in_module(r, m.dir) for r in mopts.ignores))
        per.append((m, mopts))
    opts = replace(opts, module_dirs=tuple(m.dir for m in layout.checkable))
    return opts, Scope(layout=layout, options=tuple(per), problems=problems,
                       notes=tuple(notes))


def _run_wide(text: str, source: str) -> list[str]:
    """A module's own file setting what is the run's (jobs, the runner, the engine's settings,
    what fails the run: all but config.PER_MODULE_KEYS): said, since the root's applies."""
    keys = [k for k in config.parse(text, source=source) if k not in config.PER_MODULE_KEYS]
    if not keys:
        return []
    several = len(keys) > 1
    return [f"{source}: {', '.join(keys)}: the run's setting{'s' if several else ''}, not a "
            "module's, in a run of several modules: the root's .crossvet.yaml, flags and "
            f"variables set {'them' if several else 'it'} (docs/modules.md)"]


def _pattern_dir(pattern: str) -> str | None:
    """The directory a file-system package pattern names (`./cmd/...` -> `./cmd/`, `./x` ->
    `./x`); None for an import path pattern or a .go file, which only go can judge."""
    if not (pattern in (".", "..") or pattern.startswith(("./", "../", "/"))) or \
            pattern.endswith(".go"):
        return None
    if "..." in pattern:  # the directory before the wildcard: `./a/b...` -> `./a`
        head = pattern[:pattern.index("...")]
        return head if head.endswith("/") else posixpath.dirname(head) or "."
    return pattern


def check_patterns(opts: CheckOptions, scope: Scope) -> None:
    """A package pattern naming a directory a module does not have is a usage error before
    anything runs, not a finding on every target."""
    checked = [(os.path.join(scope.layout.root, m.dir), o) for m, o in scope.options] \
        if scope.options else [(opts.module_dir, opts)]
    for module_dir, o in checked:
        for pattern in o.packages:
            d = _pattern_dir(pattern)
            if d is not None and not os.path.isdir(os.path.join(module_dir, d)):
                source, line = o.origin("packages")
                raise ConfigError(f"package pattern {pattern}: {_shown(module_dir)} has no "
                                  f"directory {d}", source=source or "packages", line=line)


def _settle(opts: CheckOptions, problems: Sequence[str]) -> tuple[str, ...]:
    """Problems stop the run unless --keep-going; with it they are kept to be said."""
    if problems and not opts.keep_going:
        n = len(problems)
        raise UsageError(f"{n} module{'s' if n != 1 else ''} cannot be checked (nothing was "
                         "checked; --keep-going checks the others):\n  "
                         + "\n  ".join(problems))
    return tuple(problems)


def probe_modules(scope: Scope, opts: CheckOptions, backend: Backend) -> Scope:
    """Ask go whether it can load each module; one it cannot is a problem like the others. Any
    problem stops the run here, before anything is checked (UsageError, one line each), unless
    --keep-going: then those modules are left out (of the workspace too: `workspace`) and
    said. Then the backend knows which modules are checked, in which workspace (settle)."""
    if not scope.options:
        _settle(opts, scope.problems)
        if not scope.layout.several:  # else every module is left out: none to settle
            backend.settle(())
        return scope
    bad = probe.module_errors(backend, [m.dir for m, _ in scope.options], width=opts.jobs)
    problems = _settle(opts, [*scope.problems, *bad.values()])
    if bad:
        scope = replace(scope, problems=problems, options=tuple(
            (m, o) for m, o in scope.options if m.dir not in bad))
    backend.settle([m.dir for m, _ in scope.options], workspace(scope, opts, backend))
    return scope


def workspace(scope: Scope, opts: CheckOptions, backend: Backend) -> str:
    """The go.work the run's go commands use: "" (the checked tree's own) unless modules of a
    go.work are left out (--keep-going). go refuses a whole workspace when a module it `use`s
    cannot be loaded (no go.mod, a go.mod it cannot parse, a module path used twice), so they
    are left out of the workspace too: a copy of go.work without their `use`s, given to every
    go command as GOWORK. The others are then built exactly as in the workspace minus those
    modules: workspace mode, the same replaces and the same module graph, which GOWORK=off
    (each module on its own go.mod) would not give. The copy lives in crossvet's cache, beside
    a copy of go.work.sum: nothing is written in the checked tree."""
    layout = scope.layout
    if layout.kind != discover.WORKSPACE or not scope.problems:
        return ""
    kept = {m.dir for m, _ in scope.options}
    gone = [m.dir for m in layout.modules if m.dir not in kept]
    root = backend.module_dir.replace(os.sep, "/")
    text = gowork_without(discover.gowork_text(layout.root), gone, root=root)
    path = os.path.join(opts.cache_dir, "gowork",
                        hashlib.sha256(text.encode()).hexdigest()[:16], "go.work")
    atomic.write_text(path, text)
    try:
        shutil.copyfile(os.path.join(layout.root, "go.work.sum"), path + ".sum")
    except FileNotFoundError:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path + ".sum")
    return path
