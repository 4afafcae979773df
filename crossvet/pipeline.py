"""`crossvet check` as a pipeline of small steps (as nox's workflow runs its tasks):

    options -> open the backend -> plan -> run -> results -> reports

Each step takes the run's state and returns it with one more thing filled in. The plan is
assembled here and only here, through the backend (checker/backends.py), so a container run
plans exactly as a local one does.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol, TextIO

from checker import probe, typecheck
from checker.backends import Backend, open_backend
from checker.proc import ProcessGroup
from checker.runner import PoolRunner
from checker.toolchain import probe_timeout
from crossvet import github as gh
from crossvet.outputs import write_all
from matrix import equivalence
from matrix.config import CONFIG_NAMES
from matrix.errors import (
    EXIT_FINDINGS,
    EXIT_INFRA,
    EXIT_INTERRUPTED,
    EXIT_OK,
    ConfigError,
    UsageError,
)
from matrix.options import CheckOptions, resolve_check
from matrix.plan import Plan
from matrix.planner import PlanInputs
from matrix.planner import make_plan as plan_jobs
from matrix.shards import shard_of
from reports import terminal
from reports.aliases import expand
from reports.paths import module_prefix
from reports.results import Results, job_results

GORELEASER_NAMES = (".goreleaser.yaml", ".goreleaser.yml")
_MODULE_RE = re.compile(r"^[ \t]*module[ \t]+(\S+)", re.MULTILINE)


# ---- options: flags, environment and the module's config file -------------------------------

CONFIG_LIMIT = 1 << 20  # bytes: a config file is a page of settings, never megabytes


def _read(path: str) -> str:
    """A config file's text (.crossvet.yaml, goreleaser): refused before parsing when it is over
    CONFIG_LIMIT or not UTF-8, so a huge or binary file is one error, not minutes of YAML."""
    shown = _shown(path)
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            data = fh.read(CONFIG_LIMIT + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", source=shown) from None
    if max(size, len(data)) > CONFIG_LIMIT:
        raise ConfigError(f"{max(size, len(data))} bytes is too big for a config file (the "
                          f"limit is {CONFIG_LIMIT} bytes, 1 MiB)", source=shown)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                          f"{exc.start})", source=shown) from None


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


def resolve_options(flags: Mapping[str, Any], env: Mapping[str, str],
                    cpu_count: int | None) -> CheckOptions:
    """Options from flags, environment and the module's config file (matrix/options.py)."""
    module_dir = os.path.abspath(flags.get("path") or ".")
    path = find_config(module_dir, flags.get("config") or env.get("CROSSVET_CONFIG", ""))
    text = _read(path) if path else None
    return resolve_check(flags, env, cpu_count, config_text=text, config_source=_shown(path))


def module_path(module_dir: str) -> str:
    if not os.path.isdir(module_dir):
        what = "no such directory" if not os.path.exists(module_dir) else "not a directory"
        raise UsageError(f"{_shown(module_dir)}: {what} (PATH is the Go module's root directory)")
    gomod = os.path.join(module_dir, "go.mod")
    try:
        with open(gomod, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except FileNotFoundError:
        raise UsageError(f"{module_dir} is not a Go module root (no go.mod)") from None
    except OSError as exc:
        raise UsageError(f"cannot read {gomod}: {exc.strerror}") from None
    m = _MODULE_RE.search(text)
    return m.group(1).strip('"') if m else ""


# ---- the plan --------------------------------------------------------------------------------

def goreleaser_file(opts: CheckOptions) -> tuple[str | None, str]:
    if opts.goreleaser:
        path = os.path.join(opts.module_dir, opts.goreleaser)
        return _read(path), opts.goreleaser
    for name in GORELEASER_NAMES:
        path = os.path.join(opts.module_dir, name)
        if os.path.isfile(path):
            return _read(path), name
    return None, GORELEASER_NAMES[0]


def make_plan(opts: CheckOptions, backend: Backend, *, checking: bool = True) -> Plan:
    """The plan `crossvet plan` prints and `crossvet check` runs: the planner's jobs (matrix/),
    equivalent jobs merged on the backend's facts (checker/probe.py), cut to the shard. A check
    keeps only the Go versions its backend has; `plan` shows every one asked for."""
    if checking and opts.go_versions:
        opts = replace(opts, go_versions=backend.usable_versions(opts.go_versions))
    text, source = goreleaser_file(opts)
    bound = probe_timeout(opts.timeout)  # every go command crossvet runs itself is bounded
    probe.module_loads(backend, timeout=bound)
    inputs = PlanInputs(ports=probe.ports(backend, opts.cache_dir, timeout=bound),
                        goreleaser_text=text, goreleaser_source=source,
                        host=probe.host_platform(backend, timeout=bound)
                        if opts.cgo == "host" else "")
    plan = plan_jobs(opts, inputs)
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
    plan: Plan | None = None
    results: Results | None = None


def plan_step(run: Run) -> Run:
    return replace(run, plan=make_plan(run.opts, run.backend))


def run_step(run: Run) -> Run:
    opts, plan, out = run.opts, run.plan, run.out
    assert plan is not None
    github = run.env.get("GITHUB_ACTIONS") == "true"
    progress = terminal.Progress(out, total=len(plan.jobs), tty=run.tty and not github,
                                 github=github)
    gh.start(run.env, out)
    progress.start(plan.jobs, run.backend.go_version, opts.jobs)
    for note in plan.notes:
        out.write(f"crossvet: {note}\n")
    runner = PoolRunner(backend=run.backend, jobs=opts.jobs, timeout=opts.timeout,
                        group=run.group,
                        batch=typecheck.batches(plan.checks, opts, run.backend))
    outcome = runner.run(plan, on_job=progress.on_job)
    results = Results(targets=expand(job_results(plan.jobs, outcome.results), plan),
                      checks=plan.checks, go=run.backend.go_version, module=run.module,
                      interrupted=outcome.interrupted, shard=opts.shard,
                      plan_order=plan.order if opts.shard else ())
    return replace(run, results=results)


CHECK_STEPS: tuple[Callable[[Run], Run], ...] = (plan_step, run_step)


def check(opts: CheckOptions, env: Mapping[str, str], out: TextIO, *, tty: bool) -> int:
    module = module_path(opts.module_dir)
    group = ProcessGroup()
    with open_backend(opts, env, group) as backend:
        for note in backend.notes:
            out.write(f"crossvet: {note}\n")
        run = Run(opts=opts, env=env, out=out, tty=tty, group=group, module=module,
                  backend=backend)
        for step in CHECK_STEPS:
            run = step(run)
    assert run.results is not None
    return publish(run.results, opts, module_dir=opts.module_dir, env=env, out=out)


# ---- results -> reports ----------------------------------------------------------------------

def exit_code(results: Results) -> int:
    if results.interrupted:
        return EXIT_INTERRUPTED
    if results.count("error"):
        return EXIT_INFRA
    if any(f.severity == "error" for f in results.findings):
        return EXIT_FINDINGS
    return EXIT_OK


class ReportPaths(Protocol):
    """Where to write each report (an empty path: not wanted). Options and parsed flags fit."""

    @property
    def json_path(self) -> str: ...
    @property
    def junit_path(self) -> str: ...
    @property
    def markdown_path(self) -> str: ...
    @property
    def sarif_path(self) -> str: ...


def publish(results: Results, paths: ReportPaths, *, module_dir: str, env: Mapping[str, str],
            out: TextIO, annotate: bool = True) -> int:
    """The last stage of check, report and merge: files, terminal summary, GitHub output."""
    written = write_all(results, json_path=paths.json_path or "",
                        junit_path=paths.junit_path or "",
                        markdown_path=paths.markdown_path or "",
                        sarif_path=paths.sarif_path or "",
                        sarif_prefix=module_prefix(module_dir, env), module_dir=module_dir)
    out.write(terminal.summary(results))
    for path in written:
        out.write(f"wrote {path}\n")
    if annotate:
        gh.report(results, module_dir=module_dir, env=env, out=out)
    return exit_code(results)
