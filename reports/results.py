"""The versioned results file: everything a report needs, and what shards merge.

Schema 1 (documented in the README):

    {"schema": 1, "tool": {...}, "go": "go1.27.3", "module": "example.com/m",
     "checks": ["vet", "build"], "interrupted": false, "shard": "",
     "targets": [{"id": "linux/386", "goos": ..., "goarch": ..., "variant": "", "tags": [],
                  "cgo": false, "go_version": "", "aliases": [], "status": "fail",
                  "checks": [{"check": "vet", "status": "fail", "duration": 1.2,
                              "exit_code": 1, "error": "", "packages": [...],
                              "diagnostics": [{...}]}]}],
     "findings": [{"id", "category", "severity", "file", "line", "col", "message",
                   "analyzer", "checks", "targets", "explanation", "fingerprint",
                   "baseline", "suppressed"}],
     "baseline": null or {"source", "findings": [...], "fixed": [...]},
     "ignores": [{"by", "rule", "reason", "targets", "matched", "unused"}],
     "summary": {"targets": 4, "ok": 1, "fail": 3, "error": 0, "findings": 1, ...}}

Diagnostics may carry `context` (reports/fingerprint.py) and `suppressed` ({by, reason}).

A shard's file (`check --shard I/N`) also has `"plan": [...]`, every target name of the whole
plan in order, which `crossvet merge` uses to order and verify the merged targets.

`findings` and `summary` are derived from `targets` (their diagnostics, suppressions marked) and
`baseline`, in one place (`Results.findings`): never stored in a Results nor read from a file, so
a merged, suppressed, compared or hand-edited results never disagrees with itself.
"""

from __future__ import annotations

import importlib.metadata
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from checker.model import CheckResult, Diagnostic, Status, Suppressed, combined_status
from matrix.errors import UsageError
from matrix.plan import Job
from reports import schema
from reports.aggregate import Finding, aggregate, mark_baseline
from reports.modules import with_modules

SCHEMA = schema.SCHEMA


def _version() -> str:
    try:
        return importlib.metadata.version("crossvet")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree, not installed
        return "0+unknown"


VERSION = _version()  # crossvet's own version, as installed


@dataclass(frozen=True, kw_only=True)
class TargetResult:
    id: str
    goos: str
    goarch: str
    variant: str = ""
    tags: tuple[str, ...] = ()
    cgo: bool = False
    go_version: str = ""
    aliases: tuple[str, ...] = ()
    checks: tuple[CheckResult, ...] = ()
    module: str = ""  # its module's directory in a run of several modules (else empty)

    @property
    def status(self) -> Status:
        return combined_status(self.checks)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return tuple(d for c in self.checks for d in c.diagnostics)

    @classmethod
    def from_job(cls, job: Job, checks: Sequence[CheckResult]) -> TargetResult:
        return cls(id=job.name, goos=job.target.goos, goarch=job.target.goarch,
                   variant=job.target.variant, tags=job.tags, cgo=job.cgo,
                   go_version=job.go_version, aliases=job.aliases, checks=tuple(checks),
                   module=job.module)


@dataclass(frozen=True, kw_only=True)
class BaselineEntry:
    """A finding of the baseline, as much as the "fixed" list needs."""

    fingerprint: str
    title: str
    location: str
    message: str
    severity: str
    targets: tuple[str, ...]

    @classmethod
    def of(cls, f: Finding) -> BaselineEntry:
        return cls(fingerprint=f.fingerprint, title=f.title, location=f.location,
                   message=f.message, severity=f.severity, targets=f.targets)

    def to_json(self) -> dict[str, Any]:
        return {"fingerprint": self.fingerprint, "title": self.title,
                "location": self.location, "message": self.message,
                "severity": self.severity, "targets": list(self.targets)}


@dataclass(frozen=True, kw_only=True)
class Baseline:
    """What the findings were compared with: a results file or a git revision's run."""

    source: str  # the file, or `REV (commit)`
    entries: tuple[BaselineEntry, ...]

    @classmethod
    def of(cls, results: Results, source: str) -> Baseline:
        return cls(source=source, entries=tuple(BaselineEntry.of(f) for f in results.findings))


@dataclass(frozen=True, kw_only=True)
class IgnoreUse:
    """A suppression (a `.crossvet.yaml` `ignore:` entry or an inline `//crossvet:ignore`) and
    what it did in this run."""

    by: str  # file:line of the suppression
    rule: str  # what it matches, as written
    reason: str
    targets: tuple[str, ...]  # the targets of this run it applies to
    matched: int  # diagnostics it suppressed

    def to_json(self) -> dict[str, Any]:
        return {"by": self.by, "rule": self.rule, "reason": self.reason,
                "targets": list(self.targets), "matched": self.matched}


@dataclass(frozen=True, kw_only=True)
class Results:
    targets: tuple[TargetResult, ...]
    checks: tuple[str, ...]
    go: str = ""
    module: str = ""
    interrupted: bool = False
    error: str = ""  # why nothing was checked: the run stopped while planning (a timeout)
    shard: str = ""
    plan_order: tuple[str, ...] = ()  # a shard's results: every name of the whole plan, in order
    tool_version: str = VERSION
    baseline: Baseline | None = None
    ignores: tuple[IgnoreUse, ...] = ()
    # A run of several modules: (directory, module path) of each, in plan order.
    modules: tuple[tuple[str, str], ...] = ()

    @cached_property
    def findings(self) -> tuple[Finding, ...]:
        """The findings: the diagnostics merged (reports/aggregate.py), as suppressed as their
        diagnostics are, marked new or existing against the baseline. Derived here only, once
        per Results: suppressing (reports/suppress.py) and comparing (reports/baseline.py) make
        a new Results, so findings can never be stale."""
        found = aggregate(self.diagnostics, self.target_ids)
        if self.baseline is not None:
            found = mark_baseline(found, (e.fingerprint for e in self.baseline.entries))
        return with_modules(found, self.targets)

    @property
    def module_dirs(self) -> tuple[str, ...]:
        """The module directories, in order, when the run checked several (else empty)."""
        return tuple(dict.fromkeys([*(d for d, _ in self.modules),
                                    *(t.module for t in self.targets if t.module)]))

    def status(self, target_id: str) -> Status | None:
        return next((t.status for t in self.targets if t.id == target_id), None)

    @property
    def fixed(self) -> tuple[BaselineEntry, ...]:
        """Baseline findings that are gone, on targets this run checked (a finding of a target
        that was not checked, or not in this run, is not known to be fixed)."""
        if self.baseline is None:
            return ()
        left: dict[str, int] = {}
        for f in self.findings:
            left[f.fingerprint] = left.get(f.fingerprint, 0) + 1
        checked = {t.id for t in self.targets if t.status != "error"}
        out = []
        for e in self.baseline.entries:
            if left.get(e.fingerprint, 0) > 0:
                left[e.fingerprint] -= 1
            elif e.targets and set(e.targets) <= checked and not self.interrupted:
                out.append(e)
        return tuple(out)

    @property
    def unused_ignores(self) -> tuple[IgnoreUse, ...]:
        """Suppressions that matched nothing on every target they apply to. One that applies to
        no target of this run, or to one that was not checked, may be needed there: not unused."""
        if self.interrupted:
            return ()
        return tuple(u for u in self.ignores if not u.matched and u.targets
                     and all(self.status(t) in ("ok", "fail") for t in u.targets))

    @property
    def target_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.targets)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return tuple(d for t in self.targets for d in t.diagnostics)

    def problems(self, target_id: str) -> int:
        """How many error findings break this target (a finding counts once, whatever found it)."""
        return sum(1 for f in self.findings if f.counts and target_id in f.targets)

    def count(self, status: str) -> int:
        return sum(1 for t in self.targets if t.status == status)

    @property
    def summary(self) -> dict[str, int]:
        return {
            "targets": len(self.targets), "ok": self.count("ok"), "fail": self.count("fail"),
            "error": self.count("error"),
            "findings": sum(1 for f in self.findings if f.counts),
            "warnings": sum(1 for f in self.findings
                            if f.severity == "warning" and f.suppressed is None),
            "new": sum(1 for f in self.findings if f.counts and f.baseline != "existing"),
            "existing": sum(1 for f in self.findings if f.counts and f.baseline == "existing"),
            "fixed": len(self.fixed),
            "suppressed": sum(1 for f in self.findings if f.suppressed is not None),
            "unused_ignores": len(self.unused_ignores),
        }


# ---- JSON -------------------------------------------------------------------------------------

def _diag_to_json(d: Diagnostic) -> dict[str, Any]:
    out = {"file": d.file, "line": d.line, "col": d.col, "message": d.message,
           "category": d.category, "severity": d.severity, "package": d.package,
           "analyzer": d.analyzer}
    if d.context:
        out["context"] = d.context
    if d.suppressed is not None:
        out["suppressed"] = {"by": d.suppressed.by, "reason": d.suppressed.reason}
    return out


def _suppressed(raw: Any, where: str) -> Suppressed | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise UsageError(f"{where}: 'suppressed' should be an object")
    return Suppressed(by=str(_get(raw, "by", str, where)), reason=_get(raw, "reason", str, where))


def _baseline_from_json(raw: Any, where: str) -> Baseline | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise UsageError(f"{where}: 'baseline' should be an object")
    entries = tuple(
        BaselineEntry(fingerprint=_get(e, "fingerprint", str, where),
                      title=e.get("title", ""), location=e.get("location", ""),
                      message=e.get("message", ""), severity=e.get("severity", "error"),
                      targets=tuple(e.get("targets", ())))
        for e in _get(raw, "findings", list, where))
    return Baseline(source=raw.get("source", ""), entries=entries)


def _ignores_from_json(raw: Any, where: str) -> tuple[IgnoreUse, ...]:
    return tuple(IgnoreUse(by=_get(u, "by", str, where), rule=u.get("rule", ""),
                           reason=u.get("reason", ""), targets=tuple(u.get("targets", ())),
                           matched=int(u.get("matched", 0)))
                 for u in raw or ())


def _check_to_json(c: CheckResult) -> dict[str, Any]:
    return {"check": c.check, "status": c.status, "duration": round(c.duration, 3),
            "exit_code": c.exit_code, "error": c.error, "packages": list(c.packages),
            "diagnostics": [_diag_to_json(d) for d in c.diagnostics]}


def to_json(results: Results) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "tool": {"name": "crossvet", "version": results.tool_version},
        "go": results.go,
        "module": results.module,
        "checks": list(results.checks),
        "interrupted": results.interrupted,
        **({"error": results.error} if results.error else {}),
        "shard": results.shard,
        "targets": [
            {"id": t.id, "goos": t.goos, "goarch": t.goarch, "variant": t.variant,
             "tags": list(t.tags), "cgo": t.cgo, "go_version": t.go_version,
             "aliases": list(t.aliases), "status": t.status,
             **({"module": t.module} if t.module else {}),
             "checks": [_check_to_json(c) for c in t.checks]}
            for t in results.targets
        ],
        "findings": [f.to_json() for f in results.findings],
        "baseline": None if results.baseline is None else {
            "source": results.baseline.source,
            "findings": [e.to_json() for e in results.baseline.entries],
            "fixed": [e.to_json() for e in results.fixed]},
        "ignores": [{**u.to_json(), "unused": u in results.unused_ignores}
                    for u in results.ignores],
        "summary": results.summary,
        **({"modules": [{"dir": d, "path": p} for d, p in results.modules]}
           if results.modules else {}),
        **({"plan": list(results.plan_order)} if results.shard else {}),
    }


def _get(obj: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in obj:
        raise UsageError(f"{where}: missing key {key!r}")
    value = obj[key]
    if kind is float and isinstance(value, int):
        return float(value)
    if not isinstance(value, kind):
        raise UsageError(f"{where}: {key!r} should be {kind.__name__}")
    return value


def _check_from_json(target: str, raw: Mapping[str, Any], where: str) -> CheckResult:
    check = _get(raw, "check", str, where)
    diags = tuple(
        Diagnostic(target=target, check=check, message=_get(d, "message", str, where),
                   category=_get(d, "category", str, where), file=d.get("file", ""),
                   line=int(d.get("line", 0)), col=int(d.get("col", 0)),
                   package=d.get("package", ""), analyzer=d.get("analyzer", ""),
                   severity=d.get("severity", "error"), context=d.get("context", ""),
                   suppressed=_suppressed(d.get("suppressed"), where))
        for d in _get(raw, "diagnostics", list, where)
    )
    status = _get(raw, "status", str, where)
    if status not in ("ok", "fail", "error"):
        raise UsageError(f"{where}: bad status {status!r}")
    return CheckResult(target=target, check=check, status=status, diagnostics=diags,
                       packages=tuple(raw.get("packages", ())),
                       duration=float(raw.get("duration", 0.0)),
                       exit_code=raw.get("exit_code"), error=raw.get("error", ""))


def from_json(data: Any, *, source: str = "results") -> Results:
    """Results from a parsed results file, validated against schema 1 (reports/schema.py)
    before any value is used."""
    try:
        schema.validate(data)
    except UsageError as exc:
        raise UsageError(f"{source}: {exc}") from None
    targets = []
    for i, t in enumerate(_get(data, "targets", list, source)):
        where = f"{source}: targets[{i}]"
        tid = _get(t, "id", str, where)
        targets.append(TargetResult(
            id=tid, goos=_get(t, "goos", str, where), goarch=_get(t, "goarch", str, where),
            variant=t.get("variant", ""), tags=tuple(t.get("tags", ())),
            cgo=bool(t.get("cgo", False)), go_version=t.get("go_version", ""),
            aliases=tuple(t.get("aliases", ())), module=str(t.get("module", "")),
            checks=tuple(_check_from_json(tid, c, where) for c in _get(t, "checks", list, where)),
        ))
    modules = tuple((str(m.get("dir", "")), str(m.get("path", "")))
                    for m in data.get("modules", ()) if isinstance(m, dict))
    return Results(targets=tuple(targets), checks=tuple(_get(data, "checks", list, source)),
                   go=data.get("go", ""), module=data.get("module", ""),
                   interrupted=bool(data.get("interrupted", False)), shard=data.get("shard", ""),
                   error=str(data.get("error", "")),
                   plan_order=tuple(data.get("plan", ())),
                   tool_version=data.get("tool", {}).get("version", ""), modules=modules,
                   baseline=_baseline_from_json(data.get("baseline"), f"{source}: baseline"),
                   ignores=_ignores_from_json(data.get("ignores"), f"{source}: ignores"))


def to_text(results: Results) -> str:
    """The results file's text (crossvet/outputs.py writes it)."""
    return json.dumps(to_json(results), indent=2) + "\n"


def from_text(text: str, *, source: str = "results") -> Results:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, a 5000-digit int, [[[[...
        raise UsageError(f"{source}: not JSON: {exc}") from None
    return from_json(data, source=source)


def job_results(jobs: Iterable[Job], outcome: Mapping[str, Sequence[CheckResult]]
                ) -> tuple[TargetResult, ...]:
    return tuple(TargetResult.from_job(j, outcome.get(j.name, ())) for j in jobs)


def map_diagnostics(results: Results, fn: Callable[[Diagnostic], Diagnostic], **changes: Any
                    ) -> Results:
    """The results with every diagnostic passed through `fn` (and other fields changed): a new
    Results, whose findings follow from its diagnostics."""
    targets = tuple(replace(t, checks=tuple(replace(c, diagnostics=tuple(fn(d) for d in
                                                                         c.diagnostics))
                                            for c in t.checks))
                    for t in results.targets)
    return replace(results, targets=targets, **changes)
