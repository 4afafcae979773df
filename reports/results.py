"""The versioned results file: everything a report needs, and what shards merge.

Schema 2 (documented in the README):

    {"schema": 2, "tool": {...}, "go": "go1.27.3", "module": "example.com/m",
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

A target's `id` is its target, tags, cgo setting and Go version (`linux/386 [netgo] +cgo`), and
every `targets` list (of a finding, a baseline entry, a suppression) holds such ids: the same in
a run of one module and of several. A run of several modules adds `module` (the module's
directory) to each target, finding, baseline entry and suppression, whose targets are that
module's; a target is (module, id), unique in the file. Schema 1 named a target of a run of
several modules `app:linux/386` in all of these; such files are read as schema 2 (`_upgrade`).

Diagnostics may carry `context` (reports/fingerprint.py) and `suppressed` ({by, reason}).

A shard's file (`check --shard I/N`) also has `"plan": [...]`, every target name of the whole
plan in order, which `crossvet merge` uses to order and verify the merged targets.

`findings` and `summary` are derived from `targets` (their diagnostics, suppressions marked) and
`baseline`, in one place (`Results.findings`): never stored in a Results nor read from a file, so
a merged, suppressed, compared or hand-edited results never disagrees with itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from checker import installed
from checker.model import CheckResult, Diagnostic, Status, Suppressed, combined_status
from matrix.errors import UsageError
from matrix.plan import MODULE_SEP, Job, qualified
from reports import schema
from reports.aggregate import Finding, aggregate, mark_baseline

SCHEMA = schema.SCHEMA


VERSION = installed.version("crossvet") or "0+unknown"  # as installed (else a source tree)


@dataclass(frozen=True, kw_only=True)
class TargetResult:
    """One job's results. `id` is its target id within its module (Job.target_id), `module`
    its module's directory in a run of several modules; `name` is its key in the run."""

    id: str
    goos: str
    goarch: str
    variant: str = ""
    tags: tuple[str, ...] = ()
    cgo: bool = False
    go_version: str = ""
    aliases: tuple[str, ...] = ()  # target ids (of the same module) it also stands for
    checks: tuple[CheckResult, ...] = ()
    module: str = ""  # its module's directory in a run of several modules (else empty)

    @property
    def name(self) -> str:
        """Its key in the run (Job.name): what its checks' and diagnostics' `target` hold."""
        return qualified(self.module, self.id)

    @property
    def status(self) -> Status:
        return combined_status(self.checks)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return tuple(d for c in self.checks for d in c.diagnostics)

    @classmethod
    def from_job(cls, job: Job, checks: Sequence[CheckResult]) -> TargetResult:
        return cls(id=job.target_id, goos=job.target.goos, goarch=job.target.goarch,
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
    targets: tuple[str, ...]  # target ids of `module`
    module: str = ""

    @classmethod
    def of(cls, f: Finding) -> BaselineEntry:
        return cls(fingerprint=f.fingerprint, title=f.title, location=f.location,
                   message=f.message, severity=f.severity, targets=f.targets, module=f.module)

    def to_json(self) -> dict[str, Any]:
        return {"fingerprint": self.fingerprint, "title": self.title,
                "location": self.location, "message": self.message,
                "severity": self.severity, "targets": list(self.targets),
                **({"module": self.module} if self.module else {})}


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
    what it did in this run, in one module: a rule that several modules share (the root's
    `ignore:`) has a use in each (one suppression: `Results.unused_ignores`)."""

    by: str  # file:line of the suppression
    rule: str  # what it matches, as written
    reason: str
    targets: tuple[str, ...]  # the ids of the targets of `module` it applies to
    matched: int  # diagnostics it suppressed
    module: str = ""  # in a run of several modules, the module of `targets`

    @property
    def key(self) -> tuple[str, str, str]:
        """The suppression's identity: the same in each module that shares it."""
        return (self.by, self.rule, self.reason)

    def to_json(self) -> dict[str, Any]:
        return {"by": self.by, "rule": self.rule, "reason": self.reason,
                "targets": list(self.targets), "matched": self.matched,
                **({"module": self.module} if self.module else {})}


@dataclass(frozen=True, kw_only=True)
class NotChecked:
    """One reason checks could not run, and what it stopped: each set of checks with the
    targets (by name, in run order) it stopped them on."""

    error: str
    where: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]  # (checks, target names)

    @property
    def single(self) -> tuple[str, str] | None:
        """(target name, check) when it stopped one check on one target, else None."""
        if len(self.where) == 1 and len(self.where[0][0]) == 1 and len(self.where[0][1]) == 1:
            return self.where[0][1][0], self.where[0][0][0]
        return None


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
        found = aggregate(self.diagnostics, self.targets)
        if self.baseline is not None:
            found = mark_baseline(found, (e.fingerprint for e in self.baseline.entries))
        return found

    @property
    def module_dirs(self) -> tuple[str, ...]:
        """The module directories, in order, when the run checked several (else empty)."""
        return tuple(dict.fromkeys([*(d for d, _ in self.modules),
                                    *(t.module for t in self.targets if t.module)]))

    def status(self, module: str, target_id: str) -> Status | None:
        return next((t.status for t in self.targets
                     if t.module == module and t.id == target_id), None)

    @property
    def fixed(self) -> tuple[BaselineEntry, ...]:
        """Baseline findings that are gone, on targets this run checked (a finding of a target
        that was not checked, or not in this run, is not known to be fixed)."""
        if self.baseline is None:
            return ()
        left: dict[str, int] = {}
        for f in self.findings:
            left[f.fingerprint] = left.get(f.fingerprint, 0) + 1
        checked = {(t.module, t.id) for t in self.targets if t.status != "error"}
        out = []
        for e in self.baseline.entries:
            if left.get(e.fingerprint, 0) > 0:
                left[e.fingerprint] -= 1
            elif e.targets and {(e.module, t) for t in e.targets} <= checked \
                    and not self.interrupted:
                out.append(e)
        return tuple(out)

    @property
    def unused_ignores(self) -> tuple[IgnoreUse, ...]:
        """Suppressions that matched nothing on every target they apply to (a rule several
        modules share: in every module; all its uses are given). One that applies to no target
        of this run, or to one that was not checked, may be needed there: not unused."""
        if self.interrupted:
            return ()
        uses: dict[tuple[str, str, str], list[IgnoreUse]] = {}
        for u in self.ignores:
            uses.setdefault(u.key, []).append(u)
        return tuple(u for group in uses.values()
                     if any(u.targets for u in group)
                     and all(not u.matched and all(self.status(u.module, t) in ("ok", "fail")
                                                   for t in u.targets) for u in group)
                     for u in group if u.targets)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return tuple(d for t in self.targets for d in t.diagnostics)

    @property
    def unused_rules(self) -> tuple[tuple[IgnoreUse, tuple[str, ...]], ...]:
        """Each unused suppression once, for the reports: its first use and the targets it
        applies to, named `module:id` when it is several modules' (else by id)."""
        out: dict[tuple[str, str, str], tuple[IgnoreUse, list[tuple[str, str]]]] = {}
        for u in self.unused_ignores:
            out.setdefault(u.key, (u, []))[1].extend((u.module, t) for t in u.targets)
        return tuple((u, tuple(qualified(m, t) if len({m for m, _ in ts}) > 1 else t
                               for m, t in ts)) for u, ts in out.values())

    @property
    def not_checked(self) -> tuple[NotChecked, ...]:
        """Why checks could not run, each reason once with what it stopped: the same error on
        many targets (dependencies that cannot be downloaded) is one entry, as a finding is."""
        by_error: dict[str, dict[str, list[str]]] = {}
        for t in self.targets:
            for c in t.checks:
                if c.error:
                    by_error.setdefault(c.error, {}).setdefault(t.name, []).append(c.check)
        out = []
        for error, per_target in by_error.items():
            groups: dict[tuple[str, ...], list[str]] = {}
            for name, checks in per_target.items():
                groups.setdefault(tuple(checks), []).append(name)
            out.append(NotChecked(error=error,
                                  where=tuple((c, tuple(ts)) for c, ts in groups.items())))
        return tuple(out)

    def problems(self, target: TargetResult) -> int:
        """How many error findings break this target (a finding counts once, whatever found it)."""
        return sum(1 for f in self.findings
                   if f.counts and f.module == target.module and target.id in f.targets)

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
    if d.dependency:
        out["dependency"] = d.dependency
    if d.origin:
        out["origin"] = d.origin
    if d.url:
        out["url"] = d.url
    if d.merge:
        out["merge"] = d.merge
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
                      targets=tuple(e.get("targets", ())), module=str(e.get("module", "")))
        for e in _get(raw, "findings", list, where))
    return Baseline(source=raw.get("source", ""), entries=entries)


def _ignores_from_json(raw: Any, where: str) -> tuple[IgnoreUse, ...]:
    return tuple(IgnoreUse(by=_get(u, "by", str, where), rule=u.get("rule", ""),
                           reason=u.get("reason", ""), targets=tuple(u.get("targets", ())),
                           matched=int(u.get("matched", 0)), module=str(u.get("module", "")))
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
                   dependency=d.get("dependency", ""), origin=d.get("origin", ""),
                   url=str(d.get("url", "")), merge=str(d.get("merge", "")),
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


def _split_modules(names: Sequence[str], dirs: Sequence[str]) -> dict[str, list[str]]:
    """Schema 1's `app:linux/386` names, by module: {module dir: [target ids]} ('' for a name
    of no module). Only for reading schema 1: schema 2 keeps the module beside the id."""
    out: dict[str, list[str]] = {}
    for name in names:
        module = max((d for d in dirs if name.startswith(d + MODULE_SEP)), key=len, default="")
        out.setdefault(module, []).append(name[len(module) + 1:] if module else name)
    return out


def _upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """A schema 1 file as schema 2 (validated as schema 1 already). A run of one module is the
    same in both. In a run of several modules, schema 1 named targets `app:linux/386`
    everywhere: ids and aliases lose the module's prefix; a baseline entry (or a suppression's
    use) whose targets were several modules' becomes one per module, as schema 2 writes them
    (a suppression's `matched` stays with its first module's use)."""
    targets = data["targets"]
    dirs = [str(t.get("module", "")) for t in targets if t.get("module")]
    dirs += [str(m.get("dir", "")) for m in data.get("modules", ())]
    if not dirs:
        return {**data, "schema": 2}

    def bare(t: dict[str, Any]) -> dict[str, Any]:
        module = str(t.get("module", ""))
        def strip(n: str) -> str:
            return n.removeprefix(module + MODULE_SEP) if module else n
        return {**t, "id": strip(t["id"]), "aliases": [strip(a) for a in t.get("aliases", ())]}

    def per_module(item: dict[str, Any]) -> list[dict[str, Any]]:
        parts = _split_modules(item.get("targets", ()), dirs) or {"": []}
        return [{**item, "targets": ids, "module": m,
                 **({"matched": 0} if i and "matched" in item else {})}
                for i, (m, ids) in enumerate(parts.items())]

    base = data.get("baseline")
    if isinstance(base, dict):
        base = {**base, "findings": [e for x in base["findings"] for e in per_module(x)]}
    return {**data, "schema": 2, "targets": [bare(t) for t in targets], "baseline": base,
            "ignores": [u for x in data.get("ignores") or () for u in per_module(x)]}


def from_json(data: Any, *, source: str = "results") -> Results:
    """Results from a parsed results file, validated against its schema (reports/schema.py)
    before any value is used; a schema 1 file is read as schema 2 (`_upgrade`)."""
    try:
        schema.validate(data)
    except UsageError as exc:
        raise UsageError(f"{source}: {exc}") from None
    if data["schema"] == 1:
        data = _upgrade(data)
    targets = []
    for i, t in enumerate(_get(data, "targets", list, source)):
        where = f"{source}: targets[{i}]"
        tid = _get(t, "id", str, where)
        module = str(t.get("module", ""))
        name = qualified(module, tid)
        targets.append(TargetResult(
            id=tid, goos=_get(t, "goos", str, where), goarch=_get(t, "goarch", str, where),
            variant=t.get("variant", ""), tags=tuple(t.get("tags", ())),
            cgo=bool(t.get("cgo", False)), go_version=t.get("go_version", ""),
            aliases=tuple(t.get("aliases", ())), module=module,
            checks=tuple(_check_from_json(name, c, where)
                         for c in _get(t, "checks", list, where)),
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
