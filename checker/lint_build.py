"""Build the engine with the analyzers `analyzers:` names (docs/lint.md) next to vet's.

The packages are resolved in the user's module (or workspace) with `go list -deps`, so their
versions are the project's: a require or `tool` line of its go.mod, a workspace module, or a
package of the module itself. One Go binary can hold one golang.org/x/tools, so this build
uses the project's for vet's analyzers too (those of the Go release's vet suite that it has),
not the Go distribution's vendored copy the plain engine uses.

The build directory is the engine's source (laid out by vetprep -lint-tools: vet_suite.go
for that x/tools, lint_suite.go registering each package's export), a go.mod that requires
the analyzers' modules at the versions the project selects, and a go.work that uses it with
the project's module (or its go.work's modules), so `go build` resolves every module as the
project does, from the module cache (offline: a module that is not there is go's error,
said with what to do). The binary is cached under `<cache_dir>/engine/` by a key over the
engine's identity (Go version, host, source), the packages named and every module version
(and for a module without one, its Go files' contents) the analyzers are built from.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker import atomic, engine_build, proc
from checker.engine_build import BUILD_TIMEOUT, ENGINE_SRC, Notify, quiet
from checker.toolchain import Toolchain, go_env
from matrix.errors import ConfigError, InfraError

ANALYSIS = "golang.org/x/tools/go/analysis"
_LIST_FIELDS = "ImportPath,Dir,GoFiles,Module,Error,DepsErrors,DepOnly,Standard"


@dataclass(frozen=True, kw_only=True)
class Module:
    path: str
    version: str  # "" for the main module, a workspace module, a directory replacement
    dir: str
    replace: str = ""  # what replaces it (a directory, or path@version)


@dataclass(frozen=True, kw_only=True)
class Resolved:
    """What the named packages are in the project: their import paths and directories (in the
    order named), the modules they are built from, and the x/tools module directory."""

    packages: tuple[tuple[str, str], ...]  # (import path, directory)
    modules: tuple[Module, ...]
    tools_dir: str
    key: str  # what the build depends on besides the engine's identity


def _hint(text: str) -> str:
    """What to do about go's error for a package of `analyzers:`."""
    if "GOPROXY=off" in text or "GOFLAGS=-mod=mod" in text or "missing go.sum" in text or \
            "no required module provides" in text or "cannot find module" in text:
        return (" (add its module to your go.mod, e.g. `go get -tool PACKAGE` or a require, "
                "and have it in the module cache: crossvet builds the analyzers with your "
                "go.mod's versions and downloads nothing itself)")
    return ""


def resolve(tc: Toolchain, packages: Sequence[str], *, module_dir: str,
            env: Mapping[str, str], group: proc.ProcessGroup | None = None) -> Resolved:
    """The packages as the project's module (or workspace) resolves them; ConfigError naming
    the entry when one cannot be loaded (a module not required, not downloaded, no package)."""
    genv = {**engine_build.build_env(env), "GOWORK": go_env(env).get("GOWORK", "")}
    if not genv["GOWORK"]:
        del genv["GOWORK"]
    res = proc.run([tc.go, "list", "-e", "-deps", f"-json={_LIST_FIELDS}", *packages],
                   env=genv, cwd=module_dir, timeout=BUILD_TIMEOUT, group=group)
    if res.exit_code != 0:
        raise ConfigError(f"analyzers: go list failed: {(res.stderr or res.stdout).strip()}"
                          + _hint(res.stderr))
    listed = _decode(res.stdout)
    roots = [p for p in listed if not p.get("DepOnly")]
    problems = []
    for p in roots:
        err = (p.get("Error") or {}).get("Err", "")
        deps = "; ".join(str(e.get("Err", "")) for e in p.get("DepsErrors") or ())
        if err or deps:
            problems.append(f"{p.get('ImportPath')}: {err or deps}{_hint(err or deps)}")
    if problems:
        raise ConfigError("analyzers: cannot load " + "; ".join(problems))
    tools = next((p for p in listed if p.get("ImportPath") == ANALYSIS), None)
    if tools is None or not (tools.get("Module") or {}).get("Dir"):
        raise ConfigError(f"analyzers: none of {', '.join(packages)} imports {ANALYSIS}: "
                          "the packages named must export go/analysis analyzers")
    modules: dict[str, Module] = {}
    h = hashlib.sha256()
    for p in sorted(listed, key=lambda p: str(p.get("ImportPath"))):
        m = p.get("Module")
        if p.get("Standard") or not m:
            continue
        rep = m.get("Replace") or {}
        version = "" if m.get("Main") else str(m.get("Version", ""))
        replace = str(rep.get("Dir") or "") if not rep.get("Version") else \
            f"{rep.get('Path')}@{rep.get('Version')}"
        modules[m["Path"]] = Module(path=m["Path"], version=version,
                                    dir=str(rep.get("Dir") or m.get("Dir") or ""),
                                    replace=replace)
        if not version or (rep and not rep.get("Version")):  # no version says what it is
            h.update(str(p.get("ImportPath")).encode() + b"\0")
            for f in p.get("GoFiles") or ():
                with contextlib.suppress(OSError):
                    h.update(f.encode() + b"\0" + Path(p["Dir"], f).read_bytes() + b"\0")
    for m in sorted(modules.values(), key=lambda m: m.path):
        h.update(f"{m.path}@{m.version}=>{m.replace}\n".encode())
    h.update("\n".join(packages).encode())
    return Resolved(packages=tuple((str(p["ImportPath"]), str(p["Dir"])) for p in roots),
                    modules=tuple(sorted(modules.values(), key=lambda m: m.path)),
                    tools_dir=str(tools["Module"]["Dir"]), key=h.hexdigest()[:16])


def _decode(stream: str) -> list[dict[str, Any]]:
    dec, out, i = json.JSONDecoder(), [], 0
    text = stream.strip()
    while i < len(text):
        obj, i = dec.raw_decode(text, i)
        out.append(obj)
        while i < len(text) and text[i].isspace():
            i += 1
    return out


def identity(version: tuple[int, int, int], resolved: Resolved) -> str:
    """What a lint engine (and its result cache) depends on."""
    return f"{engine_build.identity(version)}-lint-{resolved.key}"


def go_mod(resolved: Resolved, version: tuple[int, int, int]) -> str:
    """The build's go.mod: the engine module, requiring the analyzers' modules (x/tools among
    them) at the versions the project selects; those without a version are workspace ones."""
    reqs = "".join(f"\t{m.path} {m.version}\n" for m in resolved.modules if m.version)
    text = "module crossvet.local/engine\n\ngo {}.{}.{}\n".format(*version)
    return text + (f"\nrequire (\n{reqs})\n" if reqs else "")


def go_work(build_dir: str, workspace: str, module_dir: str,
            version: tuple[int, int, int]) -> str:
    """The build's go.work: the engine module and the project's module, or, when the project
    is a workspace, its go.work's modules and replacements (paths made absolute)."""
    head = "go {}.{}.{}\n\nuse {}\n".format(*version, json.dumps(build_dir))
    if not workspace:
        return head + f"use {json.dumps(os.path.abspath(module_dir))}\n"
    base = os.path.dirname(workspace)
    out = [head]
    block = ""
    for raw in Path(workspace).read_text(encoding="utf-8").splitlines():
        line = raw.split("//", 1)[0].strip()
        if block and line == ")":
            block = ""
            continue
        word, _, rest = line.partition(" ")
        if not block and word in ("use", "replace") and rest.strip() == "(":
            block = word
            continue
        kind, arg = (block, line) if block else (word, rest.strip())
        if not arg:
            continue
        if kind == "use":
            used = os.path.normpath(os.path.join(base, arg.strip('"')))
            out.append(f"use {json.dumps(used)}\n")
        elif kind == "replace":
            left, _, right = arg.partition("=>")
            target = right.strip().split()
            if target and target[0].startswith((".", "/")) and len(target) == 1:
                target = [json.dumps(os.path.normpath(os.path.join(base, target[0])))]
            out.append(f"replace {left.strip()} => {' '.join(target)}\n")
    return "".join(out)


def ensure(tc: Toolchain, packages: Sequence[str], *, cache_dir: str, module_dir: str,
           env: Mapping[str, str], group: proc.ProcessGroup | None = None,
           notify: Notify = quiet) -> tuple[str, str]:
    """The lint engine binary and its identity (for its result cache), built now if missing."""
    engine_build.check_version(tc.version)
    resolved = resolve(tc, packages, module_dir=module_dir, env=env, group=group)
    ident = identity(tc.version, resolved)
    path = os.path.join(cache_dir, "engine", f"engine-{ident}")
    if os.access(path, os.X_OK):
        return path, ident
    notify(engine_build.building(tc.version, "with the analyzers of analyzers: (once per "
                                 "version of them)"))
    start = time.monotonic()
    genv = engine_build.build_env(env)
    workspace = go_env(env).get("GOWORK", "")
    if not workspace:
        gw = proc.run([tc.go, "env", "GOWORK"], env={**genv, "GOWORK": ""}, cwd=module_dir,
                      timeout=BUILD_TIMEOUT, group=group)
        workspace = gw.stdout.strip() if gw.exit_code == 0 else ""
    if workspace == "off":
        workspace = ""
    build_dir = f"{path}.src"
    shutil.rmtree(build_dir, ignore_errors=True)
    with atomic.replacing(path) as tmp:
        prep_build, prep_run = engine_build.prepare_commands(tc.go, tc.goroot, build_dir)
        prep_run = [*prep_run[:-1], "-lint-tools", resolved.tools_dir,
                    *(a for p, d in resolved.packages for a in ("-lint", f"{p}={d}")),
                    prep_run[-1]]
        for cmd in (prep_build, prep_run):
            prep = proc.run(cmd, env=genv, cwd=str(ENGINE_SRC), timeout=BUILD_TIMEOUT,
                            group=group)
            if prep.exit_code != 0:
                _failed(tc.go, prep)
        Path(build_dir, "go.mod").write_text(go_mod(resolved, tc.version), encoding="utf-8")
        work = os.path.join(build_dir, "go.work")
        Path(work).write_text(go_work(build_dir, workspace, module_dir, tc.version),
                              encoding="utf-8")
        if workspace and os.path.exists(workspace + ".sum"):
            shutil.copyfile(workspace + ".sum", work + ".sum")
        result = proc.run([tc.go, "build", f"-tags={engine_build.VET_TAG}", "-trimpath",
                           "-o", tmp, "."], env={**genv, "GOWORK": work}, cwd=build_dir,
                          timeout=BUILD_TIMEOUT, group=group)
        if result.exit_code != 0 or not os.path.exists(tmp):
            _failed(tc.go, result)
    shutil.rmtree(build_dir, ignore_errors=True)
    with contextlib.suppress(OSError):
        os.remove(prep_run[0])
    notify(engine_build.built(time.monotonic() - start))
    return path, ident


def _failed(go: str, result: proc.ProcResult) -> None:
    if result.timed_out:
        raise InfraError(f"building the engine with analyzers: timed out after "
                         f"{BUILD_TIMEOUT:g}s and was killed")
    detail = (result.stderr or result.stdout).strip() or "interrupted"
    raise ConfigError(f"analyzers: cannot build them into the engine with {go}: {detail}"
                      + _hint(detail))
