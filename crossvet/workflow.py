"""`crossvet check` as a pipeline of small steps: toolchain -> plan -> run -> results -> reports."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Protocol, TextIO

from checker import toolchain, typecheck
from checker.docker_runner import DockerSession, docker_session
from checker.docker_typecheck import DockerTypecheck
from checker.executor import ExecutorFactory, local_factory
from checker.proc import ProcessGroup
from checker.runner import BatchCheck, PoolRunner
from checker.toolchain import Toolchain
from crossvet import github as gh
from crossvet import planning
from crossvet.docker_plan import docker_plan
from crossvet.errors import EXIT_FINDINGS, EXIT_INFRA, EXIT_INTERRUPTED, EXIT_OK, UsageError
from matrix.options import CheckOptions
from matrix.plan import Plan
from matrix.shards import shard_of
from reports import terminal
from reports.aliases import expand
from reports.paths import module_prefix
from reports.results import Results, job_results
from reports.write import write_all

_MODULE_RE = re.compile(r"^\s*module\s+(\S+)", re.MULTILINE)


def module_path(module_dir: str) -> str:
    gomod = os.path.join(module_dir, "go.mod")
    try:
        with open(gomod, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        raise UsageError(f"{module_dir} is not a Go module root (no go.mod)") from None
    m = _MODULE_RE.search(text)
    return m.group(1).strip('"') if m else ""


def make_plan(opts: CheckOptions, tc: Toolchain, env: Mapping[str, str], *,
              local: bool = True) -> Plan:
    """The planner's plan (matrix/), cut to this shard. A local run uses the installed Go only:
    other `go_versions` need the container runner."""
    if local and opts.go_versions:
        installed = "{}.{}.{}".format(*tc.version)
        wanted = [v for v in opts.go_versions if installed == v or installed.startswith(v + ".")]
        if not wanted:
            raise UsageError(f"go_versions {', '.join(opts.go_versions)}: a local run uses the "
                             f"installed Go ({installed}) only; use the container runner for "
                             "other versions, or drop go_versions")
        opts = replace(opts, go_versions=(wanted[0],))
    plan = planning.build_plan(opts, tc, env)
    return shard_of(plan, opts.shard) if opts.shard else plan


def exit_code(results: Results) -> int:
    if results.interrupted:
        return EXIT_INTERRUPTED
    if results.count("error"):
        return EXIT_INFRA
    if any(f.severity == "error" for f in results.findings):
        return EXIT_FINDINGS
    return EXIT_OK


def check(opts: CheckOptions, env: Mapping[str, str], out: TextIO, *, tty: bool) -> int:
    module = module_path(opts.module_dir)
    group = ProcessGroup()
    if opts.runner == "docker":
        with docker_session(opts, env, group) as ds:
            if ds.swept:
                out.write(f"crossvet: removed {ds.swept} container(s) an earlier run left\n")
            plan = docker_plan(opts, env, ds.ports, make_plan)
            return _run(opts, env, out, tty=tty, plan=plan, factory=ds.factory(),
                        go_version=ds.version_text, module=module, group=group,
                        batch=docker_batches(ds, plan.checks, opts))
    tc = toolchain.find(env, opts.go)
    plan = make_plan(opts, tc, env)
    factory = local_factory(toolchain=tc, module_dir=opts.module_dir, env=env, group=group)
    return _run(opts, env, out, tty=tty, plan=plan, factory=factory, go_version=tc.version_text,
                module=module, group=group,
                batch=typecheck.batches(plan.checks, opts, tc, env, group))


def docker_batches(ds: DockerSession, checks: tuple[str, ...],
                   opts: CheckOptions) -> dict[str, BatchCheck]:
    """With the container runner, typecheck runs in the image too (checker/docker_typecheck)."""
    if typecheck.CHECK not in checks:
        return {}
    return {typecheck.CHECK: DockerTypecheck(ds, settings=typecheck.settings_from(opts),
                                             width=opts.jobs)}


def _run(opts: CheckOptions, env: Mapping[str, str], out: TextIO, *, tty: bool, plan: Plan,
         factory: ExecutorFactory, go_version: str, module: str, group: ProcessGroup,
         batch: Mapping[str, BatchCheck]) -> int:
    runner = PoolRunner(factory=factory, jobs=opts.jobs, timeout=opts.timeout, group=group,
                        batch=batch)
    github = env.get("GITHUB_ACTIONS") == "true"
    progress = terminal.Progress(out, total=len(plan.jobs), tty=tty and not github, github=github)
    gh.start(env, out)
    progress.start(plan.jobs, go_version, opts.jobs)
    for note in plan.notes:
        out.write(f"crossvet: {note}\n")
    outcome = runner.run(plan, on_job=progress.on_job)
    results = Results(targets=expand(job_results(plan.jobs, outcome.results), plan),
                      checks=plan.checks, go=go_version, module=module,
                      interrupted=outcome.interrupted, shard=opts.shard,
                      plan_order=plan.order if opts.shard else ())
    return publish(results, opts, module_dir=opts.module_dir, env=env, out=out)


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
