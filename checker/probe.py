"""The facts the planner needs, asked of the go a backend runs (checker/backends.py), so that
planning is the same for every runner: the ports (`go tool dist list`, cached per Go version),
the host platform and variant defaults (`go env`), and each candidate job's file selection
(`go list`). Thin I/O: the decisions are in matrix/ (planner.py, equivalence.py)."""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import json
import os
import re
from collections.abc import Iterable, Sequence

from checker import atomic, commands
from checker.backends import Backend
from checker.commands import GoCommand
from checker.proc import ProcResult
from checker.toolchain import PROBE_TIMEOUT, parse_version
from matrix import modules, variants
from matrix.equivalence import Listing, parse_listing
from matrix.errors import InfraError, UsageError
from matrix.plan import Job
from matrix.targets import VARIANT_ENV, Port, Target, parse_dist_list

LIST_TIMEOUT = 300.0


def ports_cache_path(cache_dir: str, go_version: str) -> str:
    """`<cache_dir>/dist-list-<goversion>.json`: a Go release's ports never change."""
    version = re.sub(r"[^A-Za-z0-9_.-]", "_", go_version)
    return os.path.join(cache_dir, f"dist-list-{version}.json")


def _ask(backend: Backend, cmd: GoCommand, timeout: float) -> ProcResult:
    """One probe; a probe that hangs is killed and is an error saying which command it was."""
    res = backend.go(cmd, timeout=timeout)
    if res.timed_out:
        raise InfraError(f"`go {' '.join(cmd.args)}` (planning) timed out after {timeout:g}s "
                         "and was killed")
    return res


def module_loads(backend: Backend, *, timeout: float = PROBE_TIMEOUT, module_dir: str = ""
                 ) -> None:
    """Whether go can load the module at all (`go list -m`): a malformed go.mod or one without
    a module line is one usage error with go's own words (exit 2, whatever the checks), not a
    finding on every target; with its go.mod's go line when that is newer than the Go in use
    (read from `module_dir`)."""
    res = _ask(backend, GoCommand(args=("list", "-m")), timeout)
    if res.exit_code != 0:
        said = " ".join(line.strip() for line in (res.stderr or res.stdout).splitlines()
                        if line.strip())
        gomod = ""
        with contextlib.suppress(OSError, UnicodeDecodeError):
            if module_dir:
                with open(os.path.join(module_dir, "go.mod"), encoding="utf-8") as fh:
                    gomod = fh.read()
        raise UsageError(f"go cannot load the module: {said or f'exit status {res.exit_code}'}"
                         + _newer_go(gomod, backend.go_version, said))


def _newer_go(gomod: str, go_version: str, said: str) -> str:
    """A hint when the go.mod asks for a newer Go than the one in use (an older go cannot even
    parse what newer go.mod files hold, such as a `tool` block), unless go said so itself."""
    wanted = modules.go_line(gomod)
    if not wanted or "requires go >=" in said:
        return ""
    try:
        newer = parse_version("go" + wanted) > parse_version(go_version)
    except InfraError:
        return ""
    return (f" (go.mod says go {wanted}, newer than {go_version} in use: check with Go "
            f"{wanted} or later, e.g. --go PATH)") if newer else ""


def ports(backend: Backend, cache_dir: str, *, timeout: float = PROBE_TIMEOUT
          ) -> tuple[Port, ...]:
    """`go tool dist list -json`, from the cache when this Go's answer is there (no cache when
    `cache_dir` is empty). A missing, unreadable or corrupt cache is rebuilt; failing to write it
    is not an error."""
    path = ports_cache_path(cache_dir, backend.go_version.split(",")[0].strip()) \
        if cache_dir else ""
    try:
        if path:
            with open(path, encoding="utf-8") as fh:
                return parse_dist_list(fh.read())
    except (OSError, UnicodeDecodeError, UsageError):
        pass
    res = _ask(backend, GoCommand(args=("tool", "dist", "list", "-json")), timeout)
    if res.exit_code != 0:
        why = (res.stderr or res.stdout).strip() or f"exit status {res.exit_code}"
        raise InfraError(f"`go tool dist list` failed: {why}")
    result = parse_dist_list(res.stdout)
    if path:
        with contextlib.suppress(OSError):
            atomic.write_text(path, res.stdout)
    return result


def host_platform(backend: Backend, *, timeout: float = PROBE_TIMEOUT) -> str:
    """GOHOSTOS/GOHOSTARCH of the go the backend runs (for `cgo: host`), or ''."""
    res = _ask(backend, GoCommand(args=("env", "GOHOSTOS", "GOHOSTARCH")), timeout)
    lines = res.stdout.split()
    return "/".join(lines[:2]) if res.exit_code == 0 and len(lines) >= 2 else ""


def variant_defaults(backend: Backend, goarchs: Iterable[str], *,
                     timeout: float = PROBE_TIMEOUT) -> dict[str, str]:
    """GOARCH -> the variant `go env` reports when none is set, spelled as in target ids."""
    out: dict[str, str] = {}
    for goarch in sorted(set(goarchs)):
        var = VARIANT_ENV.get(goarch)
        if var is None:
            continue
        res = _ask(backend, GoCommand(args=("env", "-json", var), env=(("GOARCH", goarch),)),
                   timeout)
        if res.exit_code != 0:
            continue
        try:
            value = str(json.loads(res.stdout).get(var, ""))
        except (json.JSONDecodeError, AttributeError):
            continue
        if value:
            out[goarch] = variants.from_go_env(goarch, value)
    return out


def variant_arches(targets: Iterable[Target]) -> set[str]:
    return {t.goarch for t in targets if t.variant}


def listings(backend: Backend, jobs: Sequence[Job], *, packages: Sequence[str],
             width: int = 2, timeout: float = LIST_TIMEOUT) -> dict[str, Listing]:
    """`go list -deps -test` under each job's settings (`width` at a time), as fingerprints
    keyed by job name."""

    def one(job: Job) -> Listing:
        with backend.executor(job) as ex:
            res = ex.go(commands.list_deps(job, packages), timeout=timeout)
        if res.timed_out:
            raise InfraError(f"`go list -deps -test` for {job.name} (planning) timed out after "
                             f"{timeout:g}s and was killed")
        return parse_listing(res.stdout, exit_code=res.exit_code)

    with cf.ThreadPoolExecutor(max_workers=max(1, width)) as pool:
        return dict(zip((j.name for j in jobs), pool.map(one, jobs), strict=True))


def module_errors(backend: Backend, dirs: Sequence[str], *, width: int = 2) -> dict[str, str]:
    """module dir -> why go cannot load that module (`go list -m` in it fails: a go.mod go
    cannot parse, a go version newer than the toolchain, ...); modules go loads are absent.
    Run with GOWORK=off so that each module answers for itself, not for its workspace."""

    def one(d: str) -> str:
        res = backend.go(GoCommand(args=("-C", d, "list", "-m"), env=(("GOWORK", "off"),)),
                         timeout=PROBE_TIMEOUT)
        if res.exit_code == 0:
            return ""
        text = (res.stderr or res.stdout).strip()
        why = " ".join(line.strip() for line in text.splitlines()[:3]) if text else \
            ("timed out" if res.timed_out else f"exit {res.exit_code}")
        return f"{d}: go cannot load this module: {why}"

    with cf.ThreadPoolExecutor(max_workers=max(1, width)) as pool:
        found = dict(zip(dirs, pool.map(one, dirs), strict=True))
    return {d: why for d, why in found.items() if why}
