"""`crossvet check` as a pipeline of small steps (as nox's workflow runs its tasks):

    options and modules (crossvet/scope.py) -> open the backend -> plan -> run -> results
    -> reports

Each step takes the run's state and returns it with one more thing filled in. The plan is
assembled here and only here, through the backend (checker/backends.py), so a container run
plans exactly as a local one does.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import posixpath
import shutil
import signal
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from checker import probe, typecheck
from checker.backends import Backend, open_backend
from checker.model import CheckResult
from checker.proc import ProcessGroup
from checker.runner import Interrupted, OnJob, PoolRunner
from checker.toolchain import probe_timeout
from crossvet import github as gh
from crossvet import sources
from crossvet.outputs import dump, load, source_lines, write_all
from crossvet.progress import Progress
from crossvet.scope import (
    Scope,
    check_patterns,
    probe_modules,
    read_config,
    resolve_scope,
)
from matrix import constraints, equivalence
from matrix.claims import ModuleFacts
from matrix.config import OPTIONS
from matrix.errors import (
    EXIT_FINDINGS,
    EXIT_INFRA,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    CrossvetError,
    InfraError,
    NoPackagesError,
    UsageError,
)
from matrix.ignores import IgnoreRule, in_module
from matrix.modules import combine
from matrix.options import CheckOptions
from matrix.plan import Job, Plan
from matrix.planner import PlanInputs
from matrix.planner import make_plan as plan_jobs
from matrix.shards import shard_of
from matrix.targets import Port
from reports import baseline, lintmerge, suppress, terminal
from reports.aliases import expand
from reports.paths import module_prefix
from reports.results import VERSION, Results, TargetResult, job_results

if TYPE_CHECKING:  # imported by a --new-from-rev check only
    from crossvet import gitrev

GORELEASER_NAMES = (".goreleaser.yaml", ".goreleaser.yml")


# ---- the plan --------------------------------------------------------------------------------

def goreleaser_file(opts: CheckOptions) -> tuple[str | None, str]:
    if opts.goreleaser:
        path = os.path.join(opts.module_dir, opts.goreleaser)
        return read_config(path), opts.goreleaser
    for name in GORELEASER_NAMES:
        path = os.path.join(opts.module_dir, name)
        if os.path.isfile(path):
            return read_config(path), name
    return None, GORELEASER_NAMES[0]


_IN_CONTAINER = ("the container runner has none (`--runner local` uses zig from "
                 "crossvet[cgo], or CC_FOR_<goos>_<goarch>)")


def _c_compilers(backend: Backend,
                 ports: tuple[Port, ...]) -> frozenset[str]:
    """The platforms the backend has a C compiler for (`cgo: auto`)."""
    return frozenset(p.id for p in ports if p.cgo_supported and
                     backend.has_c_compiler(p.goos, p.goarch))


def _module_plan(opts: CheckOptions, backend: Backend, ports: tuple[Port, ...], *,
                 checking: bool, root: str = "", facts: ModuleFacts | None = None) -> Plan:
    """One module's jobs (matrix/planner.py); its claims (`facts`, else read from its files
    and workflows, and the workflows of the run's `root` in a run of several modules)."""
    if checking and opts.go_versions:
        opts = replace(opts, go_versions=backend.usable_versions(opts.go_versions))
    text, source = goreleaser_file(opts)
    bound = probe_timeout(opts.timeout)  # every go command crossvet runs itself is bounded
    if facts is None:
        facts = sources.module_facts(opts.module_dir, [(root, ".")] if root else ())
    inputs = PlanInputs(ports=ports, goreleaser_text=text, goreleaser_source=source,
                        facts=facts, host=probe.host_platform(backend, timeout=bound)
                        if opts.cgo == "host" else "",
                        c_compilers=_c_compilers(backend, ports)
                        if opts.cgo == "auto" and facts.cgo else frozenset(),
                        **({} if backend.name == "local" else {"no_c_compiler": _IN_CONTAINER}))
    return plan_jobs(opts, inputs)


def make_plan(opts: CheckOptions, backend: Backend, *, checking: bool = True,
              scope: Scope | None = None,
              read: Mapping[str, sources.ModuleSources] | None = None) -> Plan:
    """The plan `crossvet plan` prints and `crossvet check` runs: the planner's jobs (matrix/),
    for each module of a run of several, equivalent jobs merged on the backend's facts
    (checker/probe.py), cut to the shard. A check keeps only the Go versions its backend has;
    `plan` shows every one asked for. `read` are the modules' sources a check has read already
    (read_sources), by module directory."""
    def facts(o: CheckOptions) -> ModuleFacts | None:
        return read[o.module_dir].facts if read and o.module_dir in read else None

    bound = probe_timeout(opts.timeout)  # every go command crossvet runs itself is bounded
    ports = probe.ports(backend, opts.cache_dir, timeout=bound)
    if scope is not None and scope.layout.several:
        plan = combine([(m, _module_plan(o, backend, ports, checking=checking,
                                         root=scope.layout.root, facts=facts(o)))
                        for m, o in scope.options])
        if scope.problems or scope.notes:
            plan = replace(plan, notes=(*plan.notes, *scope.notes,
                                        *(f"not checked: {p}" for p in scope.problems)))
    else:
        probe.module_loads(backend, timeout=bound, module_dir=opts.module_dir)
        plan = _module_plan(opts, backend, ports, checking=checking, facts=facts(opts))
    defaults = probe.variant_defaults(backend, probe.variant_arches(j.target for j in plan.jobs),
                                      timeout=bound)
    plan = equivalence.merge(plan, variant_defaults=defaults)
    todo = equivalence.candidates(plan)
    if todo:
        found = probe.listings(backend, todo, packages=plan.packages, width=opts.jobs,
                               timeout=min(probe.LIST_TIMEOUT, opts.timeout or probe.LIST_TIMEOUT))
        plan = equivalence.merge(plan, listings=found)
    return shard_of(plan, opts.shard) if opts.shard else plan


# ---- check -----------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Run:
    """What the steps of one `crossvet check` pass along."""

    opts: CheckOptions
    env: Mapping[str, str]
    out: TextIO
    tty: bool
    group: ProcessGroup
    module: str
    backend: Backend
    scope: Scope | None = None
    read: tuple[tuple[str, sources.ModuleSources], ...] = ()  # by module directory
    rules: tuple[suppress.RuleSet, ...] = ()
    plan: Plan | None = None
    results: Results | None = None


def plan_step(run: Run) -> Run:
    return replace(run, plan=make_plan(run.opts, run.backend, scope=run.scope,
                                       read=dict(run.read)))


def _columns(env: Mapping[str, str]) -> int:
    """The terminal's width for the status line: COLUMNS when set, else asked of the terminal."""
    try:
        return max(20, int(env.get("COLUMNS", "")))
    except ValueError:
        return shutil.get_terminal_size((80, 24)).columns


def colored(color: str, *, tty: bool, env: Mapping[str, str]) -> bool:
    """Whether statuses are coloured: --color always or never, else on a terminal unless
    NO_COLOR is set (no-color.org)."""
    if color in ("always", "never"):
        return color == "always"
    return tty and not env.get("NO_COLOR")


def run_step(run: Run) -> Run:
    opts, plan, out = run.opts, run.plan, run.out
    assert plan is not None
    github = run.env.get("GITHUB_ACTIONS") == "true"
    tty = run.tty and not github
    progress = Progress(out, total=len(plan.jobs), tty=tty, github=github,
                        columns=_columns(run.env),
                        color=colored(opts.color, tty=tty, env=run.env))
    gh.start(run.env, out)
    progress.start(plan.jobs, run.backend.go_version, opts.jobs)
    for note in plan.notes:
        progress.note(note)
    runner = PoolRunner(backend=run.backend, jobs=opts.jobs, timeout=opts.timeout,
                        group=run.group,
                        batch=typecheck.batches(plan.checks, opts, run.backend,
                                                notify=progress.note))
    with progress.live():
        on_job = merged_lines(run, plan, suppressed_lines(run, plan, progress.on_job))
        outcome = runner.run(plan, on_job=on_job,
                             on_start=progress.began, on_end=progress.ended)
    progress.finish()
    return replace(run, results=_results(run, plan, outcome.results))


def merged_lines(run: Run, plan: Plan, on_job: OnJob) -> OnJob:
    """A job's line without the findings of `analyzers:` that a merge rule `all` drops
    whatever the jobs still running find (lintmerge.so_far; the summary applies the rules over
    every target)."""
    if not run.opts.analyzers:
        return on_job
    lock = threading.Lock()
    done: list[TargetResult] = []
    built = _built(run)

    def shown(job: Job, checks: tuple[CheckResult, ...]) -> None:
        with lock:
            done.append(TargetResult.from_job(job, checks))
            checks = lintmerge.so_far(done, built).checks
        on_job(job, checks)
    return shown


def suppressed_lines(run: Run, plan: Plan, on_job: OnJob) -> OnJob:
    """A job's line as the summary will count it: what the run's suppressions accept does not
    fail it (source_step applies them to the results; this only to what a job's line shows)."""
    if not any(s.rules for s in run.rules):
        return on_job
    ports = probe.ports(run.backend, run.opts.cache_dir)

    def shown(job: Job, checks: tuple[CheckResult, ...]) -> None:
        one = Results(targets=(TargetResult.from_job(job, checks),), checks=plan.checks)
        with contextlib.suppress(CrossvetError):  # said once the run is over, by source_step
            checks = suppress.apply_modules(one, run.rules, ports).targets[0].checks
        on_job(job, checks)
    return shown


def _results(run: Run, plan: Plan, by_job: Mapping[str, Sequence[CheckResult]], *,
             interrupted: bool = False) -> Results:
    modules = run.scope.options if run.scope is not None else ()
    return _merged(run, Results(targets=expand(job_results(plan.jobs, by_job), plan),
                   checks=plan.checks, go=run.backend.go_version, module=run.module,
                   interrupted=interrupted, shard=run.opts.shard,
                   plan_order=plan.order if run.opts.shard else (),
                   modules=tuple((m.dir, m.path) for m, _ in modules)))


def _merged(run: Run, results: Results) -> Results:
    """The merge rules of `analyzers:` applied (reports/lintmerge.py): a file counts on the
    targets its name and constraint lines can hold on (other tags, such as cgo, free)."""
    if not lintmerge.wanted(results):
        return results
    return lintmerge.apply(results, _built(run))


def _built(run: Run) -> lintmerge.Built:
    """Whether a target builds a module file, by its name and constraint lines (read on first
    use)."""
    exprs: dict[str, constraints.Expr | None] = {}
    read: list[bool] = []

    def built(file: str, t: TargetResult) -> bool:
        if not read:
            exprs.update({f.path: f.expr for f in sources.module_facts(run.opts.module_dir).files})
            read.append(True)
        expr = exprs.get(posixpath.join(t.module, file) if t.module else file) \
            or exprs.get(file)
        return expr is None or constraints.holds_on(expr, t.goos, t.goarch)
    return built


def packages_step(run: Run) -> Run:
    """A run that checked no package on any target and found nothing says so (NoPackagesError,
    exit 2) instead of "ok": an empty module, or patterns that match no package that builds for
    the targets. An interrupted run, or one with an error, says why itself."""
    results, plan = run.results, run.plan
    assert results is not None and plan is not None
    checks = [c for t in results.targets for c in t.checks]
    if not checks or results.interrupted or any(
            c.packages or c.diagnostics or c.status == "error" for c in checks):
        return run
    n = len(results.targets)
    where = f"of {results.module} " if results.module else ""
    on = results.targets[0].id if n == 1 else f"any of the {n} targets"
    raise NoPackagesError(f"no packages to check: {' '.join(plan.packages)} matches no package "
                          f"{where}that builds for {on} (nothing was checked)")


def _rule_set(opts: CheckOptions, rules: tuple[IgnoreRule, ...], facts: ModuleFacts,
              module: str = "") -> suppress.RuleSet:
    """A module's rules with what their `targets` may name: its goreleaser file (`release`)
    and, when some rule has targets, its claims (`claimed`, read as the planner reads them)."""
    return suppress.RuleSet(rules=rules, module=module,
                            goreleaser_text=goreleaser_file(opts)[0],
                            facts=facts if any(r.targets for r in rules) else None)


def read_sources(opts: CheckOptions, scope: Scope | None
                 ) -> tuple[tuple[str, sources.ModuleSources], ...]:
    """Each module's claims and inline suppressions (one walk of its files), by directory; in
    a run of several modules, with the workflows of the run's root."""
    lint = bool(opts.analyzers)  # staticcheck's //lint:ignore too (docs/lint.md)
    if scope is None or not scope.layout.several:
        return ((opts.module_dir, sources.module_sources(opts.module_dir, lint=lint)),)
    return tuple((o.module_dir, sources.module_sources(o.module_dir, [(scope.layout.root, ".")],
                                                       lint=lint))
                 for _, o in scope.options)


def suppressions(opts: CheckOptions, scope: Scope | None,
                 read: Mapping[str, sources.ModuleSources]) -> tuple[suppress.RuleSet, ...]:
    """Each module's suppressions: its inline comments first, then its `ignore:` entries (its
    own file's, else the root's). In a run of several modules every path is the root's."""
    if scope is None or not scope.layout.several:
        own = read[opts.module_dir]
        return (_rule_set(opts, (*own.rules, *opts.ignores), own.facts),)
    return tuple(_rule_set(
        o, (*(in_module(r, m.dir) for r in read[o.module_dir].rules), *o.ignores),
        read[o.module_dir].facts, module=m.dir)
        for m, o in scope.options)


def rules_step(run: Run) -> Run:
    """The modules' sources and their suppressions, read before anything runs: a malformed
    inline comment (no reason, an unknown category) is refused as the config file's errors
    are, not after every target."""
    read = read_sources(run.opts, run.scope)
    return replace(run, read=read, rules=suppressions(run.opts, run.scope, dict(read)))


def source_step(run: Run) -> Run:
    """While the sources are at hand: each diagnostic's fingerprint context, then the
    suppressions (inline ones first, then the config file's `ignore:` entries)."""
    assert run.results is not None
    opts = run.opts
    results = baseline.with_contexts(run.results, source_lines(opts.module_dir))
    sets = run.rules
    if any(s.rules for s in sets):
        results = suppress.apply_modules(results, sets, probe.ports(run.backend, opts.cache_dir))
    return replace(run, results=results)


CHECK_STEPS: tuple[Callable[[Run], Run], ...] = (rules_step, plan_step, run_step, packages_step,
                                                  source_step)


# ---- Ctrl-C and SIGTERM: the one interrupt path of a check ------------------------------------

@contextlib.contextmanager
def interrupts(group: ProcessGroup) -> Iterator[None]:
    """While a check runs, Ctrl-C and SIGTERM (CI cancelling a job) first kill every child
    process, so nothing waits on a hung `go` (a probe's thread pool, the engine, the job pool),
    then raise KeyboardInterrupt where the main thread is. A signal that is ignored (a shell's
    background job ignores SIGINT) stays ignored; off the main thread nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        group.kill_all()
        raise KeyboardInterrupt

    saved = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        handler = signal.getsignal(sig)
        if handler is not None and handler is not signal.SIG_IGN:
            saved[sig] = signal.signal(sig, stop)
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def stopped(run: Run, exc: KeyboardInterrupt) -> Results:
    """An interrupted check's results, marked `interrupted`: what had finished (the runner's
    Interrupted carries it), and every other check of every planned target an error saying
    "interrupted"; interrupted while planning, no targets."""
    if run.results is not None:
        return replace(run.results, interrupted=True)
    if run.plan is None:
        return Results(targets=(), checks=run.opts.checks, go=run.backend.go_version,
                       module=run.module, interrupted=True, shard=run.opts.shard,
                       error="interrupted while planning")
    partial = exc.partial if isinstance(exc, Interrupted) else {}
    by_job = {}
    for job in run.plan.jobs:
        have = partial.get(job.name, ())
        done = {r.check for r in have}
        by_job[job.name] = (*have, *(CheckResult(target=job.name, check=c, status="error",
                                                 error="interrupted")
                                     for c in job.checks if c not in done))
    return _results(run, run.plan, by_job, interrupted=True)


def collect(opts: CheckOptions, env: Mapping[str, str], out: TextIO, *, tty: bool,
            flags: Mapping[str, Any]) -> tuple[Results, Scope]:
    """Find the modules, plan, run and read the sources: the results of one check, before any
    baseline, and the modules it covered."""
    opts, scope = resolve_scope(opts, flags, env)
    check_patterns(opts, scope)
    group = ProcessGroup()
    with interrupts(group), open_backend(opts, env, group) as backend:
        for note in backend.notes:
            out.write(f"crossvet: {note}\n")
        run = Run(opts=opts, env=env, out=out, tty=tty, group=group, module=scope.module,
                  backend=backend, scope=scope)
        try:
            scope = probe_modules(scope, opts, backend)
            for problem in scope.problems:
                out.write(f"crossvet: not checked (--keep-going): {problem}\n")
            run = replace(run, scope=scope)
            for step in CHECK_STEPS:
                run = step(run)
        except KeyboardInterrupt as exc:  # results of what finished, never nothing
            group.kill_all()
            sourced = run.results is not None
            run = replace(run, results=stopped(run, exc))
            if not sourced and run.results is not None and run.results.targets:
                with contextlib.suppress(CrossvetError, KeyboardInterrupt):
                    run = source_step(run)
        except InfraError as exc:  # planning failed (a probe timed out): results saying why
            if run.plan is not None:
                raise
            run = replace(run, results=Results(
                targets=(), checks=opts.checks, go=backend.go_version, module=run.module,
                shard=opts.shard, error=str(exc)))
    assert run.results is not None
    return run.results, scope


def _with_problems(code: int, scope: Scope, out: TextIO) -> int:
    """Modules left out (--keep-going) make a run that is otherwise fine a usage error."""
    if scope.problems and code in (EXIT_OK, EXIT_FINDINGS):
        n = len(scope.problems)
        out.write(f"crossvet: {n} module{'s' if n != 1 else ''} could not be checked (above)\n")
        return EXIT_USAGE
    return code


# ---- baselines -------------------------------------------------------------------------------

# An option is part of the key unless the table says it cannot change findings (matrix/config.py);
# the fields that are not options (matrix/options.DERIVED) follow from those that are.
_FINDINGS_FIELDS = tuple(o.field for o in OPTIONS if o.findings)
_NO_OUTPUTS = {o.field: o.default for o in OPTIONS if o.output}  # REV's run writes no file


def _rev_cache_path(opts: CheckOptions, rev: gitrev.Rev) -> str:
    """Where REV's results are kept: by commit and by every option that can change findings."""
    shape: dict[str, Any] = {k: getattr(opts, k) for k in _FINDINGS_FIELDS}
    shape.update(subdir=rev.subdir, crossvet=VERSION)
    key = hashlib.sha256(json.dumps(shape, sort_keys=True, default=repr).encode()).hexdigest()
    return os.path.join(opts.cache_dir, "baselines", f"{rev.commit}-{key[:16]}.json")


def rev_results(opts: CheckOptions, rev: gitrev.Rev, env: Mapping[str, str], out: TextIO, *,
                go: str, flags: Mapping[str, Any]) -> Results:
    """REV's results with the same plan, from the cache when that commit was checked before
    with the same Go."""
    path = _rev_cache_path(opts, rev)
    if os.path.isfile(path):
        try:
            cached = load(path)
        except UsageError:
            cached = None
        if cached is not None and cached.go == go:
            out.write(f"crossvet: baseline: {rev.name} ({rev.commit[:12]}), cached\n")
            return cached
    out.write(f"crossvet: baseline: checking {rev.name} ({rev.commit[:12]}) in a git "
              "worktree\n")
    out.flush()
    from crossvet import gitrev  # noqa: PLC0415 (lazy: --new-from-rev only)
    with gitrev.worktree(rev, env) as tree:
        base_dir = os.path.normpath(os.path.join(tree, rev.subdir))
        if not os.path.isfile(os.path.join(base_dir, "go.mod")) and \
                not os.path.isfile(os.path.join(base_dir, "go.work")) and not opts.modules:
            out.write(f"crossvet: baseline: {rev.name} has no module at {rev.subdir}: every "
                      "finding is new\n")
            return Results(targets=(), checks=opts.checks, go=go)
        base_opts = replace(opts, module_dir=base_dir, baseline="", new_from_rev="",
                            **_NO_OUTPUTS)
        try:
            results, _ = collect(base_opts, {**env, "CROSSVET_ANNOTATE": "0"}, io.StringIO(),
                                 tty=False, flags={**flags, "path": base_dir})
        except NoPackagesError:
            out.write(f"crossvet: baseline: {rev.name} has no package to check: every finding "
                      "is new\n")
            return Results(targets=(), checks=opts.checks, go=go)
    if not results.interrupted and not results.error and not results.count("error"):  # complete
        dump(baseline.for_file(results), path)
    return results


def compare_step(results: Results, opts: CheckOptions, env: Mapping[str, str], out: TextIO, *,
                 rev: gitrev.Rev | None, base: Results | None,
                 flags: Mapping[str, Any]) -> Results:
    if results.interrupted:
        return results
    if base is not None:
        return baseline.compare(results, base, source=opts.baseline)
    if rev is not None:
        try:
            base = rev_results(opts, rev, env, out, go=results.go, flags=flags)
        except KeyboardInterrupt:  # (in git, before or after REV's check)
            return replace(results, interrupted=True)
        if base.interrupted:  # an incomplete base would call its missing findings new
            return replace(results, interrupted=True)
        if base.error:  # REV could not be planned: nothing to compare with (exit 3)
            return replace(results, error=f"the baseline {rev.name}: {base.error}")
        return baseline.compare(results, base, source=f"{rev.name} ({rev.commit[:12]})")
    return results


def check(opts: CheckOptions, env: Mapping[str, str], out: TextIO, *, tty: bool,
          flags: Mapping[str, Any] | None = None) -> int:
    flags = flags or {"path": opts.module_dir}
    # What the baseline will be is checked first: a missing file or revision fails at once.
    base = load(opts.baseline) if opts.baseline else None
    rev = None
    if opts.new_from_rev:
        from crossvet import gitrev  # noqa: PLC0415 (lazy: --new-from-rev only)
        rev = gitrev.resolve(opts.module_dir, opts.new_from_rev, env)
    results, scope = collect(opts, env, out, tty=tty, flags=flags)
    results = compare_step(results, opts, env, out, rev=rev, base=base, flags=flags)
    if opts.write_baseline:
        dump(baseline.for_file(results), opts.write_baseline)
        out.write(f"wrote the baseline {opts.write_baseline}\n")
    code = publish(results, opts, module_dir=opts.module_dir, env=env, out=out)
    return _with_problems(code, scope, out)


def write_baseline(opts: CheckOptions, env: Mapping[str, str], out: TextIO, *, tty: bool,
                   path: str, flags: Mapping[str, Any] | None = None) -> int:
    """`crossvet baseline -o FILE`: the findings of now, to compare later runs with. Findings
    are the point here: the exit code is 0 unless the run was incomplete."""
    results, scope = collect(opts, env, out, tty=tty, flags=flags or {"path": opts.module_dir})
    out.write(terminal.summary(results))
    code = exit_code(results, fail_on="never")
    if code == EXIT_OK:
        dump(baseline.for_file(results), path)
        out.write(f"wrote the baseline {path} ({len(results.findings)} findings)\n")
    return _with_problems(code, scope, out)


# ---- results -> reports ----------------------------------------------------------------------

def exit_code(results: Results, *, fail_on: str = "new", unused_ignores: str = "warning"
              ) -> int:
    """130 interrupted, 3 not every target checked; then, per `fail_on`: 1 for a new error
    finding (`new`; without a baseline every finding is new), for any (`findings`), never
    (`never`). Suppressed findings never count; unused suppressions do with `error`."""
    if results.interrupted:
        return EXIT_INTERRUPTED
    if results.error or results.count("error"):
        return EXIT_INFRA
    if fail_on == "never":
        return EXIT_OK
    if any(f.counts and (fail_on == "findings" or f.baseline != "existing")
           for f in results.findings):
        return EXIT_FINDINGS
    if unused_ignores == "error" and results.unused_ignores:
        return EXIT_FINDINGS
    return EXIT_OK


class ReportPaths(Protocol):
    """Where to write each report ((format, path) pairs, reports/formats.py) and what fails the
    run. CheckOptions fit."""

    @property
    def outputs(self) -> tuple[tuple[str, str], ...]: ...
    @property
    def fail_on(self) -> str: ...
    @property
    def unused_ignores(self) -> str: ...


def publish(results: Results, paths: ReportPaths, *, module_dir: str, env: Mapping[str, str],
            out: TextIO, annotate: bool = True) -> int:
    """The last stage of check, report and merge: files, terminal summary, GitHub output."""
    written = write_all(results, paths.outputs, repo_prefix=module_prefix(module_dir, env),
                        module_dir=module_dir)
    out.write(terminal.summary(results))
    for path in written:
        out.write(f"wrote {path}\n")
    if annotate:
        gh.report(results, module_dir=module_dir, env=env, out=out)
    return exit_code(results, fail_on=paths.fail_on, unused_ignores=paths.unused_ignores)
