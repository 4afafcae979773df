"""`--checks typecheck`: drive the type-check engine for all jobs at once and read its JSON.

The engine (checker/engine, Go) lists and type-checks every target in one process; this module
builds its request, runs it and turns its answer into one CheckResult per job. Request
building and response parsing are pure; `TypecheckBatch` is the thin I/O edge and plugs into
PoolRunner as a BatchCheck.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from checker import classify, engine_build, proc
from checker.model import CheckResult, Diagnostic, Severity, status_of
from checker.parse import Where, dedupe
from checker.toolchain import Toolchain, go_env
from crossvet.errors import CrossvetError, InfraError
from matrix.options import CheckOptions
from matrix.plan import Job

CHECK = "typecheck"


@dataclass(frozen=True, kw_only=True)
class Settings:
    cache_dir: str  # crossvet's cache directory: engine binaries and the result cache
    engine: str = ""  # a prebuilt engine binary (skips building)
    memory_mb: int = 0  # the engine's soft heap limit; 0 means none
    narrowing: Severity = "warning"
    result_cache: bool = True
    share: bool = True  # share work across targets (off only to test that sharing is exact)


def request(jobs: Sequence[Job], *, go: str, module_dir: str, packages: Sequence[str],
            width: int, settings: Settings, results_dir: str, goroot: str = "") -> dict[str, Any]:
    return {
        "go": go,
        "goroot": goroot,
        "module_dir": module_dir,
        "patterns": list(packages),
        "jobs": max(1, width),
        "memory_mb": settings.memory_mb,
        "cache_dir": results_dir if settings.result_cache else "",
        "no_share": not settings.share,
        "narrowing": True,
        "targets": [{"name": j.name, "goarch": j.target.goarch, "tags": list(j.tags),
                     "env": j.env()} for j in jobs],
    }


def _message(text: str) -> str:
    """Multi-line messages as checker.parse reads the compiler's: continuation lines stripped."""
    lines = text.splitlines() or [""]
    return "\n".join([lines[0].strip(), *(ln.strip() for ln in lines[1:] if ln.strip())])


def _diagnostic(raw: Mapping[str, Any], where: Where, narrowing: Severity) -> Diagnostic:
    kind = str(raw.get("kind", "type"))
    msg = _message(str(raw.get("message", "")))
    file = str(raw.get("file", ""))
    line = int(raw.get("line", 0))
    if kind == "narrowing":
        category, severity = "narrowing", narrowing
    elif kind == "syntax":
        category, severity = "compile", "error"
    else:
        category, severity = classify.category(msg, positioned=bool(file and line)), "error"
    return Diagnostic(target=where.target, check=CHECK, message=msg, category=category,
                      file=where.rel(file) if file else "", line=line,
                      col=int(raw.get("col", 0)), package=str(raw.get("package", "")),
                      severity=severity)


def parse_response(data: Any, jobs: Sequence[Job], *, module_dir: str,
                   narrowing: Severity) -> dict[str, CheckResult]:
    """One CheckResult per job from the engine's answer; a job it does not mention is an error."""
    if not isinstance(data, dict) or not isinstance(data.get("targets"), list):
        raise InfraError("the typecheck engine gave an answer crossvet cannot read")
    by_name = {str(t.get("name")): t for t in data["targets"] if isinstance(t, dict)}
    out: dict[str, CheckResult] = {}
    for job in jobs:
        raw = by_name.get(job.name)
        if raw is None:
            out[job.name] = CheckResult(target=job.name, check=CHECK, status="error",
                                        error="the typecheck engine did not report this target")
            continue
        where = Where(target=job.name, check=CHECK, module_dir=module_dir)
        diags = dedupe(_diagnostic(d, where, narrowing) for d in raw.get("diagnostics") or ())
        error = str(raw.get("error") or "")
        out[job.name] = CheckResult(
            target=job.name, check=CHECK, status=status_of(diags, error), diagnostics=diags,
            packages=tuple(raw.get("packages") or ()), duration=float(raw.get("seconds", 0.0)),
            exit_code=None if error else 0, error=error,
        )
    return out


def run_engine(engine: str, req: Mapping[str, Any], *, env: Mapping[str, str], cwd: str,
               timeout: float | None, group: proc.ProcessGroup | None) -> dict[str, Any]:
    """Run the engine on the request (a file it reads); its JSON answer, or InfraError."""
    with tempfile.TemporaryDirectory(prefix="crossvet-tc-") as tmp:
        path = os.path.join(tmp, "request.json")
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(req, fh)
        result = proc.run([engine, path], env=go_env(env), cwd=cwd, timeout=timeout,
                          group=group)
    if result.timed_out:
        raise InfraError(f"typecheck timed out after {timeout:g}s and was killed")
    if result.cancelled:
        raise InfraError("interrupted")
    if result.exit_code != 0:
        raise InfraError(f"the typecheck engine failed (exit {result.exit_code}): "
                         f"{result.stderr.strip()[-2000:]}")
    try:
        data = json.loads(result.stdout)
    except json.JSONDecodeError as exc:
        raise InfraError(f"the typecheck engine printed bad JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise InfraError("the typecheck engine printed bad JSON: not an object")
    return data


class TypecheckBatch:
    """The `typecheck` BatchCheck: every job in one engine run; failures become error results."""

    def __init__(self, *, toolchain: Toolchain, module_dir: str, env: Mapping[str, str],
                 group: proc.ProcessGroup | None, width: int, settings: Settings) -> None:
        self._tc = toolchain
        self._dir = module_dir
        self._env = dict(env)
        self._group = group
        self._width = max(1, width)
        self._settings = settings
        self.stats: dict[str, Any] = {}

    def __call__(self, jobs: Sequence[Job], *, packages: Sequence[str],
                 timeout: float | None) -> Mapping[str, CheckResult]:
        try:
            return self._run(jobs, packages, timeout)
        except CrossvetError as exc:  # nothing lost: every job says why it was not checked
            return {j.name: CheckResult(target=j.name, check=CHECK, status="error",
                                        error=str(exc)) for j in jobs}

    def _run(self, jobs: Sequence[Job], packages: Sequence[str],
             timeout: float | None) -> dict[str, CheckResult]:
        s = self._settings
        engine = engine_build.ensure(self._tc, cache_dir=s.cache_dir, env=self._env,
                                     group=self._group, explicit=s.engine)
        results_dir = os.path.join(s.cache_dir, "typecheck", engine_build.identity(self._tc))
        req = request(jobs, go=self._tc.go, module_dir=self._dir, packages=packages,
                      width=self._width, settings=s, results_dir=results_dir,
                      goroot=self._tc.goroot)
        # The engine checks every target in one run: allow each round of `width` targets the
        # per-target timeout.
        total = None if timeout is None else timeout * max(1, math.ceil(len(jobs) / self._width))
        data = run_engine(engine, req, env=self._env, cwd=self._dir, timeout=total,
                          group=self._group)
        self.stats = dict(data.get("stats") or {})
        return parse_response(data, jobs, module_dir=self._dir, narrowing=s.narrowing)


def settings_from(opts: CheckOptions) -> Settings:
    severity: Severity = "error" if opts.narrowing == "error" else "warning"
    return Settings(cache_dir=opts.cache_dir, engine=opts.engine,
                    memory_mb=opts.typecheck_memory, narrowing=severity,
                    result_cache=opts.typecheck_cache)


def batches(checks: Sequence[str], opts: CheckOptions, tc: Toolchain, env: Mapping[str, str],
            group: proc.ProcessGroup | None) -> dict[str, TypecheckBatch]:
    """The batch checks for PoolRunner: `typecheck` when it was asked for."""
    if CHECK not in checks:
        return {}
    return {CHECK: TypecheckBatch(toolchain=tc, module_dir=opts.module_dir, env=env, group=group,
                                  width=opts.jobs, settings=settings_from(opts))}
