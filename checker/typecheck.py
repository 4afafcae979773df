"""The type-check engine's checks: `typecheck`, and `vet` in the engine (the default, `--vet
engine`): drive the engine for all jobs at once and read its JSON.

The engine (checker/engine, Go) lists, type-checks and (when asked) vets every target in one
process; this module builds its request, has a backend run it (on this machine or in a
container: checker/backends) and turns its answer into one CheckResult per job and check.
Request building and response parsing are pure; `EngineRun` is the thin I/O edge: it runs the
engine once for both checks and plugs into PoolRunner as one BatchCheck per check.
"""

from __future__ import annotations

import json
import math
import posixpath
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from checker import cc, classify
from checker.backends import Backend
from checker.engine_build import Notify, quiet
from checker.model import CheckResult, Diagnostic, Severity, status_of
from checker.parse import Where, dedupe, split_environment
from checker.proc import OnLine, ProcResult
from checker.runner import OnResult
from matrix import lint
from matrix.checks import ENGINE_CHECKS, TYPECHECK, VET, engine_checks
from matrix.errors import ConfigError, CrossvetError, InfraError
from matrix.options import CheckOptions
from matrix.plan import Job


@dataclass(frozen=True, kw_only=True)
class Settings:
    memory_mb: int = 0  # the engine's memory budget; 0: Go's default collector
    narrowing: Severity = "warning"
    narrowing_level: str = "default"  # or "all" (docs/typecheck.md)
    narrowing_generated: bool = False
    result_cache: bool = True
    share: bool = True  # share work across targets (off only to test that sharing is exact)
    # check dependency modules' bodies (issue #25); off only to measure what they cost
    # (bench/reach.py): then as before, declarations only (with vet, its facts' bodies)
    dep_bodies: bool = True
    merge: Mapping[str, str] = field(default_factory=dict)  # `analyzers:` NAME=all|any


_ERROR_KINDS = ("type", "syntax", "list")  # what `go vet` reports too: the package fails to load
_INTERNAL = "internal"  # the engine failed (one of vet's analyzers panicked): never a finding


CCompiler = Callable[[str, str], str]  # goos, goarch -> CC, "" when none (checker/cc.py)


def _no_cc(_goos: str, _goarch: str) -> str:
    return ""


def request(jobs: Sequence[Job], *, go: str, module_dir: str, packages: Sequence[str],
            width: int, settings: Settings, results_dir: str, goroot: str = "",
            vet: bool = False, c_compiler: CCompiler = _no_cc,
            mod_cache: str = "") -> dict[str, Any]:
    return {
        "go": go,
        "goroot": goroot,
        "mod_cache": mod_cache,
        "module_dir": module_dir,
        "patterns": list(packages),
        "jobs": max(1, width),
        "memory_mb": settings.memory_mb,
        "cache_dir": results_dir if settings.result_cache else "",
        "no_share": not settings.share,
        "no_dep_bodies": not settings.dep_bodies,
        "narrowing": True,
        "narrowing_level": settings.narrowing_level,
        "narrowing_generated": settings.narrowing_generated,
        "vet": vet,
        "targets": [_target(j, module_dir, c_compiler) for j in jobs],
    }


def _target(job: Job, module_dir: str, c_compiler: CCompiler) -> dict[str, Any]:
    """One target of the request; a job of a module (a run of several) names the directory its
    `go list` runs in and, when they differ from the request's, its package patterns. With cgo
    on and a C compiler for it, its CC: the engine then checks cgo's real output for it."""
    env = job.env()
    if job.cgo and (cc := c_compiler(job.target.goos, job.target.goarch)):
        env["CC"] = cc
    out: dict[str, Any] = {"name": job.name, "goarch": job.target.goarch,
                           "tags": list(job.tags), "env": env}
    if job.module:
        out["dir"] = posixpath.normpath(posixpath.join(module_dir, job.module))
    if job.packages:
        out["patterns"] = list(job.packages)
    return out


def _message(text: str) -> str:
    """Multi-line messages as checker.parse reads the compiler's: continuation lines stripped."""
    lines = text.splitlines() or [""]
    return "\n".join([lines[0].strip(), *(ln.strip() for ln in lines[1:] if ln.strip())])


def _diagnostic(raw: Mapping[str, Any], where: Where, narrowing: Severity,
                merge: Mapping[str, str]) -> Diagnostic:
    kind = str(raw.get("kind", "type"))
    msg = _message(str(raw.get("message", "")))
    file = str(raw.get("file", ""))
    line = int(raw.get("line", 0))
    if kind == "vet":  # as checker.parse.scan_vet reads `go vet -json`
        analyzer = str(raw.get("analyzer", ""))
        ours = bool(raw.get("lint"))  # an analyzer of `analyzers:` (docs/lint.md)
        return Diagnostic(target=where.target, check=where.check, message=msg.strip(),
                          category="lint" if ours else "vet", analyzer=analyzer,
                          file=where.rel(file) if file else "", line=line,
                          col=int(raw.get("col", 0)), package=str(raw.get("package", "")),
                          url=str(raw.get("url", "")) if ours else "",
                          merge=lint.merge_of(analyzer, str(raw.get("merge", "")), merge)
                          if ours else "")
    dep = raw.get("dep")
    dep = dep if isinstance(dep, dict) else {}
    if kind == "narrowing":
        category, severity = "narrowing", narrowing
    elif kind == "syntax":
        category, severity = "compile", "error"
    else:
        positioned = bool(file and line) or bool(dep)
        category, severity = classify.category(msg, positioned=positioned), "error"
    dependency = origin = ""
    if dep:
        dependency, msg = _in_dependency(dep, msg, where.module_dir)
        origin = _origin(dep)
    chain = [str(p) for p in raw.get("chain") or () if isinstance(p, str)]
    if len(chain) > 1:  # from a checked package to the one at fault
        msg += "\nimported through " + " -> ".join(chain)
    return Diagnostic(target=where.target, check=where.check, message=msg, category=category,
                      file=where.rel(file) if file else "", line=line,
                      col=int(raw.get("col", 0)), package=str(raw.get("package", "")),
                      severity=severity, dependency=dependency, origin=origin)


def _in_dependency(dep: Mapping[str, Any], msg: str, module_dir: str = ""
                   ) -> tuple[str, str]:
    """A dependency module's error (docs/typecheck.md): which module at which version, and the
    message led by where it is in that module (`path/in/it.go:LINE:COL`), since the finding
    itself is placed on the go.mod line that requires the module. A required module whose
    code is not the module cache's copy of that version and that go.mod does not replace is a
    go.work's copy: the message says which directory (`=> ../dep (go.work)`), not only the
    version go.mod requires, which is not the code checked."""
    module, version = str(dep.get("module", "")), str(dep.get("version", ""))
    dependency = f"{module}@{version}" if version else module
    replace = str(dep.get("replace", ""))
    file, root = str(dep.get("file", "")), str(dep.get("dir", ""))
    inside = posixpath.relpath(file, root) if file and root and file.startswith(root) else file
    pos = ":".join([inside, *(str(n) for n in (dep.get("line"), dep.get("col")) if n)])
    via = f" => {replace}" if replace else ""
    if not replace and version and root and "@" not in posixpath.basename(root.rstrip("/")):
        local = posixpath.relpath(root, module_dir) if module_dir else root
        via = f" => {local} (go.work)"
    return dependency, f"{dependency}{via} {pos}: {msg}"


def _origin(dep: Mapping[str, Any]) -> str:
    """Where a dependency's finding is in it, absolute: `file:line:col` (model.Diagnostic)."""
    file = str(dep.get("file", ""))
    if not file:
        return ""
    return f"{posixpath.normpath(file)}:{int(dep.get('line') or 0)}:{int(dep.get('col') or 0)}"


def _wanted(raw: Mapping[str, Any], check: str) -> bool:
    """Which of the engine's findings a check reports: `typecheck` all but vet's; `vet` its
    analyzers' and, as `go vet` does, the errors that stop a package from being analyzed."""
    kind = str(raw.get("kind", "type"))
    if check == VET:
        return kind == "vet" or kind in _ERROR_KINDS
    return kind not in ("vet", _INTERNAL)


def _internal_error(raw: Mapping[str, Any], check: str) -> str:
    """The engine's own failures on a target that are `check`'s (an analyzer that panicked is
    vet's), as one error: the check could not run there, whatever it found besides."""
    if check != VET:
        return ""
    failures = dict.fromkeys(  # one line per analyzer and message, in the engine's order
        f"{d.get('message', '')} (package {d.get('package', '')})"
        for d in raw.get("diagnostics") or ()
        if isinstance(d, dict) and d.get("kind") == _INTERNAL)
    return "; ".join(failures)


def _duration(raw: Mapping[str, Any], check: str, checks: Sequence[str]) -> float:
    """A check's share of the engine's time for a target (its `seconds`, the work done for
    it; docs/typecheck.md): with both engine checks, vet's is the time in vet's analyzers and
    typecheck's the rest, so that the two add up to the target's time."""
    total = max(0.0, float(raw.get("seconds", 0.0)))
    vet = min(total, max(0.0, float(raw.get("vet_seconds", 0.0))))
    if check == VET and TYPECHECK in checks:
        return vet
    if check == TYPECHECK and VET in checks:
        return total - vet
    return total


def parse_response(data: Any, jobs: Sequence[Job], *, module_dir: str,
                   narrowing: Severity, check: str = TYPECHECK,
                   checks: Sequence[str] = (),
                   merge: Mapping[str, str] | None = None) -> dict[str, CheckResult]:
    """One CheckResult of `check` per job from the engine's answer; a job it does not mention
    is an error, and so is every job's vet when the engine could not run vet. `checks` are
    all the engine checks of the run (they share its time)."""
    if not isinstance(data, dict) or not isinstance(data.get("targets"), list):
        raise InfraError("the typecheck engine gave an answer crossvet cannot read")
    by_name = {str(t.get("name")): t for t in data["targets"] if isinstance(t, dict)}
    vet_error = str(data.get("vet_error") or "") if check == VET else ""
    out: dict[str, CheckResult] = {}
    for job in jobs:
        raw = by_name.get(job.name)
        if raw is None or vet_error:
            out[job.name] = CheckResult(
                target=job.name, check=check, status="error",
                error=vet_error or "the typecheck engine did not report this target")
            continue
        where = Where(target=job.name, check=check, module_dir=module_dir)
        diags, environment = split_environment(dedupe(
            _diagnostic(d, where, narrowing, merge or {}) for d in raw.get("diagnostics") or ()
            if isinstance(d, dict) and _wanted(d, check)))
        error = "; ".join(e for e in (str(raw.get("error") or ""),
                                      _internal_error(raw, check), environment) if e)
        out[job.name] = CheckResult(
            target=job.name, check=check, status=status_of(diags, error), diagnostics=diags,
            packages=tuple(raw.get("packages") or ()), duration=_duration(raw, check, checks),
            exit_code=None if error else 0, error=error,
        )
    return out


def cgo_notes(data: Mapping[str, Any], *, vet: bool) -> list[str]:
    """What the engine's answer says it could not check with cgo on, one status line each: the
    targets without a C compiler, whose packages' cgo files it checked with a fake `import "C"`
    (and, with `vet`, that most analyzers skip their files that use C names); and each package
    cgo could not run on for want of a C library or header, with why. Never findings."""
    targets: list[str] = []
    packages: dict[str, None] = {}
    skipped: dict[tuple[str, str], list[str]] = {}  # (package, why) -> targets
    for raw in data.get("targets") or ():
        if not isinstance(raw, dict):
            continue
        name = str(raw.get("name", ""))
        skips = [s for s in raw.get("cgo_skipped") or () if isinstance(s, dict)]
        for s in skips:
            skipped.setdefault((str(s.get("package", "")), str(s.get("reason", ""))),
                               []).append(name)
        not_skipped = [str(p) for p in raw.get("cgo_faked") or ()
                       if str(p) not in {str(s.get("package", "")) for s in skips}]
        if not_skipped:
            targets.append(name)
            packages.update(dict.fromkeys(not_skipped))
    out = [f"cgo: {pkg} not checkable on {', '.join(names)}: {why} (its cgo files are checked "
           "with a fake import \"C\")" for (pkg, why), names in sorted(skipped.items())]
    if not targets:
        return out
    names = sorted(packages)
    if len(names) > 3:
        more = len(names) - 3
        names[3:] = [f"{more} more package{'s' if more != 1 else ''}"]
    return [f"cgo not checked on {', '.join(targets)}: no C compiler; {cc.INSTALL_HINT} or set "
            f"CC_FOR_<goos>_<goarch>. The cgo files of {', '.join(names)} are checked with a "
            "fake import \"C\": the C names, their types and sizes are not checked"
            + (", and most of vet's analyzers skip the files that use them" if vet else "")
            + " (docs/typecheck.md, cgo)", *out]


EVENT = "event"  # a line the engine writes before its answer has this key


def answer_of(stdout: str) -> Any:
    """The engine's answer: the last of the JSON lines it writes (the lines before it are
    events, one per target as it finishes: see event_target)."""
    lines = [ln for ln in stdout.splitlines() if ln.strip()]
    return json.loads(lines[-1] if lines else stdout)


def event_target(line: str) -> dict[str, Any] | None:
    """The target result an event line carries (the same as in the answer), else None."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict) or data.get(EVENT) != "target":
        return None
    target = data.get("target")
    return target if isinstance(target, dict) else None


def decode(result: ProcResult, timeout: float | None) -> dict[str, Any]:
    """The engine's JSON answer from its run, or an InfraError that says what went wrong."""
    if result.timed_out:
        raise InfraError(f"typecheck timed out after {timeout:g}s and was killed")
    if result.cancelled:
        raise InfraError("interrupted")
    if result.exit_code != 0:
        raise InfraError(f"the typecheck engine failed (exit {result.exit_code}): "
                         f"{result.stderr.strip()[-2000:]}")
    try:
        data = answer_of(result.stdout)
    except json.JSONDecodeError as exc:
        raise InfraError(f"the typecheck engine printed bad JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise InfraError("the typecheck engine printed bad JSON: not an object")
    return data


def budget(timeout: float | None, jobs: int, width: int) -> float | None:
    """The engine checks every target in one run: each round of `width` targets gets the
    per-target timeout."""
    return None if timeout is None else timeout * max(1, math.ceil(jobs / max(1, width)))


def _ignore(_: CheckResult) -> None:
    pass


class EngineRun:
    """One engine run per Go version for all jobs and every engine check asked for (`typecheck`,
    `vet`), answered to PoolRunner check by check (`batch(check)`): the first check's call runs
    the engine, the others reuse its answer. A failure becomes an error result for each job and
    check of that run, so nothing is lost silently."""

    def __init__(self, backend: Backend, *, width: int, settings: Settings,
                 checks: Sequence[str], notify: Notify = quiet) -> None:
        self._backend = backend
        self._notify = notify
        self._width = max(1, width)
        self._settings = settings
        self.checks = tuple(c for c in ENGINE_CHECKS if c in checks)
        self.stats: dict[str, Any] = {}
        self._answers: dict[str, tuple[Any, str]] = {}  # job -> (the engine's answer, module dir)
        self._errors: dict[str, str] = {}  # job -> why its run failed

    def batch(self, check: str) -> Callable[..., Mapping[str, CheckResult]]:
        def run(jobs: Sequence[Job], *, packages: Sequence[str], timeout: float | None,
                on_result: OnResult = _ignore) -> Mapping[str, CheckResult]:
            return self.results(check, jobs, packages=packages, timeout=timeout,
                                on_result=on_result)
        return run

    def results(self, check: str, jobs: Sequence[Job], *, packages: Sequence[str],
                timeout: float | None,
                on_result: OnResult = _ignore) -> Mapping[str, CheckResult]:
        """Every job's result of `check`; the first call runs the engine, telling on_result
        each job's result of every engine check as the engine finishes that target."""
        missing = [j for j in jobs if j.name not in self._answers and j.name not in self._errors]
        if missing:
            self._run_all(missing, packages, timeout, on_result)
        out: dict[str, CheckResult] = {}
        s = self._settings
        for job in jobs:
            if job.name in self._errors:
                out[job.name] = CheckResult(target=job.name, check=check, status="error",
                                            error=self._errors[job.name])
                continue
            data, module_dir = self._answers[job.name]
            out.update(parse_response(data, [job], module_dir=module_dir,
                                      narrowing=s.narrowing, check=check, checks=self.checks,
                                      merge=s.merge))
        return out

    def _run_all(self, jobs: Sequence[Job], packages: Sequence[str],
                 timeout: float | None, on_result: OnResult) -> None:
        by_version: dict[str, list[Job]] = {}
        for job in jobs:
            by_version.setdefault(job.go_version, []).append(job)
        for version, group in by_version.items():
            try:
                data, module_dir = self._run(version, group, packages, timeout, on_result)
            except ConfigError:  # `analyzers:` cannot be built: the run's input, said once
                raise
            except CrossvetError as exc:
                self._errors.update({j.name: str(exc) for j in group})
                continue
            self._answers.update({j.name: (data, module_dir) for j in group})

    def _run(self, version: str, jobs: Sequence[Job], packages: Sequence[str],
             timeout: float | None, on_result: OnResult) -> tuple[dict[str, Any], str]:
        s = self._settings
        site = self._backend.engine(version, notify=self._notify)
        req = request(jobs, go=site.go, module_dir=site.module_dir, packages=packages,
                      width=self._width, settings=s, results_dir=site.results_dir,
                      goroot=site.goroot, vet=VET in self.checks, c_compiler=site.c_compiler,
                      mod_cache=site.mod_cache)
        total = budget(timeout, len(jobs), self._width)
        data = decode(self._backend.run_engine(
            site, req, go_version=version, timeout=total,
            on_line=self._events(jobs, site.module_dir, on_result)), total)
        self.stats = dict(data.get("stats") or {})
        for note in cgo_notes(data, vet=VET in self.checks):
            self._notify(note)
        return data, site.module_dir


    def _events(self, jobs: Sequence[Job], module_dir: str, on_result: OnResult) -> OnLine:
        """What reads the engine's event lines: each target's results of every engine check
        it has, told to on_result as the engine finishes that target."""
        by_name = {j.name: j for j in jobs}
        s = self._settings

        def on_line(line: str) -> None:
            raw = event_target(line)
            job = by_name.get(str(raw.get("name"))) if raw is not None else None
            if raw is None or job is None:
                return
            for check in self.checks:
                if check in job.checks:
                    on_result(parse_response({"targets": [raw]}, [job], module_dir=module_dir,
                                             narrowing=s.narrowing, check=check,
                                             checks=self.checks, merge=s.merge)[job.name])
        return on_line


def typecheck_settings(opts: CheckOptions) -> Settings:
    severity: Severity = "error" if opts.narrowing == "error" else "warning"
    return Settings(memory_mb=opts.typecheck_memory, narrowing=severity,
                    narrowing_level=opts.narrowing_level,
                    narrowing_generated=opts.narrowing_generated,
                    result_cache=opts.typecheck_cache,
                    merge=lint.merge_rules(opts.analyzers))


def batches(checks: Sequence[str], opts: CheckOptions, backend: Backend, *,
            notify: Notify = quiet) -> dict[str, Callable[..., Mapping[str, CheckResult]]]:
    """The batch checks for PoolRunner: the engine's checks that were asked for, one run;
    `notify` hears when the engine is being built."""
    wanted = engine_checks(checks, opts.vet)
    if not wanted:
        return {}
    engine = EngineRun(backend, width=opts.jobs, settings=typecheck_settings(opts),
                       checks=wanted, notify=notify)
    return {c: engine.batch(c) for c in wanted}
