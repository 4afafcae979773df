"""The entry point. Typed errors become exit codes here, and only here:

0 clean, 1 findings, 2 usage or configuration error, 3 infrastructure error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TextIO

from checker.backends import open_backend
from checker.proc import ProcessGroup
from crossvet import console, github, pipeline
from crossvet.outputs import check_outputs, load
from matrix.config import CONFIG_NAMES
from matrix.config import TEMPLATE as CONFIG_TEMPLATE
from matrix.errors import EXIT_INFRA, EXIT_INTERRUPTED, CrossvetError, UsageError
from matrix.options import CheckOptions
from matrix.shards import MAX_GITHUB_MATRIX, fit
from reports import plan_table
from reports.formats import FORMATS
from reports.merge import merge as merge_shards
from reports.results import VERSION


class _Output(argparse.Action):
    """--NAME FILE of a report format: appends (NAME, FILE) to `outputs`."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        setattr(namespace, self.dest, [*(getattr(namespace, self.dest) or []),
                                       (self.const, values)])


def _add_report_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("reports")
    for fmt in FORMATS:
        g.add_argument(f"--{fmt.name}", dest="outputs", action=_Output, const=fmt.name,
                       metavar="FILE", help=fmt.help)


def _add_plan_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", nargs="?", default=".",
                   help="Go module root or go.work workspace root (default: .)")
    p.add_argument("--modules", metavar="SELECTORS",
                   help="check several modules: all (every go.mod under PATH), module dirs, "
                   "module paths, globs, !exclusions (default: go.work's, else PATH's module)")
    p.add_argument("--keep-going", dest="keep_going", action="store_true", default=None,
                   help="check the other modules when some cannot be checked (exit 2)")
    p.add_argument("--targets", help="target selectors: presets (first-class, all, 32bit, "
                   "64bit, cgo, release), ids, globs, variants, !exclusions "
                   "(default: first-class)")
    p.add_argument("--checks", help="comma list of typecheck,vet,build (default: typecheck,vet "
                   "in the type-check engine, no compiling; add build for a real compile and "
                   "link per target, as the release preset does)")
    p.add_argument("--tags", help="build tags, comma-separated; several sets separated by ';' "
                   "(';netgo' = no tags, then netgo)")
    p.add_argument("--cgo", help="off (default), on, host, or target selectors")
    p.add_argument("--go-versions", dest="go_versions", metavar="LIST",
                   help="Go versions (container runner; locally only the installed one)")
    p.add_argument("--packages", nargs="+", metavar="PATTERN", help="package patterns (./...)")
    p.add_argument("--goreleaser", metavar="FILE", help="goreleaser config for `release`")
    p.add_argument("--config", metavar="FILE", help="config file (default: .crossvet.yaml)")
    p.add_argument("--go", help="the go binary to use (default: go on PATH)")


def _add_docker_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("container runner (docs/docker.md)")
    g.add_argument("--runner", help="where go runs: local (default) or docker")
    g.add_argument("--image", help="Go image instead of golang:<version> ({version} is replaced)")
    g.add_argument("--memory", help="memory limit per container (default: 4g)")
    g.add_argument("--pids-limit", help="processes and threads per container (default: 4096)")
    g.add_argument("--docker-cache", metavar="DIR|volume:NAME",
                   help="GOCACHE/GOMODCACHE store (default: ~/.cache/crossvet/docker)")
    g.add_argument("--download-network", metavar="NETWORK",
                   help="network of the module-download container (default: bridge)")


def _add_typecheck_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--vet", choices=("engine", "go"),
                   help="engine (default): vet's analyzers of your Go run inside the type-check "
                   "engine for all targets at once; go: `go vet` per target")
    p.add_argument("--narrowing", choices=("warning", "error"),
                   help="severity of typecheck's 32-bit narrowing findings (default: warning)")
    p.add_argument("--narrowing-level", choices=("default", "all"),
                   help="narrowing conversions reported: default (from int64/uint64) or all "
                   "(also uint32 -> int, which loses only the sign bit)")
    p.add_argument("--narrowing-generated", action="store_const", const="on",
                   help="report narrowing conversions in generated files too")
    p.add_argument("--typecheck-memory", type=int, metavar="MB",
                   help="memory budget of the typecheck engine (default: 448)")
    p.add_argument("--no-typecheck-cache", dest="typecheck_cache", action="store_const",
                   const="off", help="type-check again even when nothing changed")
    p.add_argument("--cache-dir", help="crossvet's cache directory (default: ~/.cache/crossvet)")


def _add_policy_flags(p: argparse._ActionsContainer) -> None:
    p.add_argument("--fail-on", choices=("new", "findings", "never"),
                   help="what fails the run (exit 1): new findings (default; without a baseline "
                   "every finding is new), any findings, or never")
    p.add_argument("--unused-ignores", choices=("warning", "error"),
                   help="a suppression that matched nothing: warning (default) or error")


def _add_baseline_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("baselines (README: Baselines and suppressions)")
    g.add_argument("--baseline", metavar="RESULTS.json",
                   help="a results file (crossvet baseline -o): its findings are not new")
    g.add_argument("--new-from-rev", metavar="REV",
                   help="check REV (e.g. origin/main, HEAD~1) in a git worktree with the same "
                   "plan: its findings are not new")
    g.add_argument("--write-baseline", metavar="FILE",
                   help="also write this run's findings as a baseline file")
    _add_policy_flags(g)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crossvet",
        description="Vet, build and type-check a Go module for every GOOS/GOARCH target.",
        epilog="exit codes: 0 clean, 1 findings, 2 usage/config error, 3 infrastructure error "
               "(no go, timeout, crash), 130 interrupted",
    )
    parser.add_argument("--version", action="version", version=f"crossvet {VERSION}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("check", help="run the checks for every target")
    _add_plan_flags(p)
    p.add_argument("--jobs", "-j", type=int, help="targets checked at once (default: cores)")
    p.add_argument("--timeout", type=float, help="seconds per target before it is killed (900)")
    p.add_argument("--shard", metavar="I/N", help="run only shard I of N (see `plan --shards`)")
    _add_docker_flags(p)
    _add_typecheck_flags(p)
    _add_baseline_flags(p)
    _add_report_flags(p)

    p = sub.add_parser("baseline", help="write the current findings as a baseline file")
    _add_plan_flags(p)
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="the baseline file to write (a results file without timings)")
    p.add_argument("--jobs", "-j", type=int, help="targets checked at once (default: cores)")
    p.add_argument("--timeout", type=float, help="seconds per target before it is killed (900)")
    _add_docker_flags(p)
    _add_typecheck_flags(p)

    p = sub.add_parser("plan", help="print the jobs `check` would run, without running them")
    _add_plan_flags(p)
    p.add_argument("--format", choices=("table", "json", "github-matrix"), default="table",
                   help="table (default), json, or github-matrix (for strategy.matrix)")
    p.add_argument("--shards", type=int, default=0, metavar="N",
                   help="split the jobs into N balanced shards (run one with check --shard I/N)")
    _add_docker_flags(p)

    p = sub.add_parser("init", help="write a commented .crossvet.yaml")
    p.add_argument("path", nargs="?", default=".", help="Go module root (default: .)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")

    p = sub.add_parser("merge", help="join shard results into one results file")
    p.add_argument("results", nargs="+", help="results JSON of every shard (check --shard --json)")
    _add_policy_flags(p)
    _add_report_flags(p)

    p = sub.add_parser("report", help="write reports from a results JSON file")
    p.add_argument("results", help="results JSON written by `crossvet check --json`")
    p.add_argument("--module-dir", default=".",
                   help="where the checked module is (for repository-relative paths; default: .)")
    _add_policy_flags(p)
    _add_report_flags(p)

    p = sub.add_parser("comment", help="create or update the pull request comment")
    p.add_argument("results", help="results JSON written by `crossvet check --json`")
    p.add_argument("--key", default="crossvet",
                   help="one comment per pull request and key (default: crossvet)")
    p.add_argument("--pr", type=int, help="pull request number (default: from GITHUB_EVENT_PATH)")
    p.add_argument("--repo", default="", help="OWNER/NAME (default: GITHUB_REPOSITORY)")
    return parser


def _report(args: argparse.Namespace, env: Mapping[str, str], out: TextIO) -> int:
    results = load(args.results)
    # fail_on and unused_ignores resolve like check's: flag > CROSSVET_* > the module's config
    opts = pipeline.resolve_options({**vars(args), "path": args.module_dir}, env, 1)
    github.start(env, out)
    return pipeline.publish(results, opts, module_dir=args.module_dir, env=env, out=out)


def _plan(args: argparse.Namespace, env: Mapping[str, str], out: TextIO) -> int:
    if args.shards < 0 or (args.format == "github-matrix" and args.shards > MAX_GITHUB_MATRIX):
        raise UsageError(f"--shards must be between 1 and {MAX_GITHUB_MATRIX} "
                         "(a GitHub Actions matrix has at most 256 jobs)")
    opts = pipeline.resolve_options(vars(args), env, os.cpu_count())
    opts, scope = pipeline.resolve_scope(opts, vars(args), env)
    with open_backend(opts, env, ProcessGroup()) as backend:
        scope = pipeline.probe_modules(scope, opts, backend)
        plan = pipeline.make_plan(opts, backend, checking=False, scope=scope)
        go = backend.go_version
    shards, note = fit(args.shards, len(plan.jobs))
    if note:
        plan = replace(plan, notes=(*plan.notes, note))
    out.write(plan_table.render(plan, args.format, go=go, shards=shards))
    return 0


def _init(args: argparse.Namespace, out: TextIO) -> int:
    path = os.path.join(args.path, CONFIG_NAMES[0])
    if os.path.exists(path) and not args.force:
        raise UsageError(f"{path} exists (use --force to overwrite)")
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(CONFIG_TEMPLATE)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
    out.write(f"wrote {path}\n")
    return 0


def _merge(args: argparse.Namespace, env: Mapping[str, str], out: TextIO) -> int:
    results = merge_shards([(p, load(p)) for p in args.results])
    opts = pipeline.resolve_options({**vars(args), "path": "."}, env, 1)
    # The merge job's `crossvet report` annotates once for all shards; merge itself does not.
    return pipeline.publish(results, opts, module_dir=".", env={}, out=out, annotate=False)


def _outputs(args: argparse.Namespace) -> list[tuple[str, str]]:
    """Every file this command was asked to write, with its flag: reports and baseline files."""
    return [*((f"--{name}", path) for name, path in getattr(args, "outputs", None) or ()),
            *((f"--{k.replace('_', '-')}", getattr(args, k, None) or "")
              for k in ("write_baseline", "output"))]


def _output_paths(args: argparse.Namespace) -> list[str]:
    return [path for _, path in _outputs(args)]


def _written_since(args: argparse.Namespace, start: float) -> list[str]:
    """The report files this run wrote before it failed."""
    paths = _output_paths(args)
    found = []
    for path in paths:
        with contextlib.suppress(OSError):
            if path and os.path.isfile(path) and os.path.getmtime(path) >= start - 1:
                found.append(path)
    return found


def bug_message(exc: BaseException, written: Sequence[str]) -> str:
    """The one line an unexpected exception becomes: a bug in crossvet, never "findings"."""
    where = (f"results written before it: {', '.join(written)}" if written
             else "no results were written")
    what = f"{type(exc).__name__}: {exc}".splitlines()[0][:300] if str(exc) else \
        type(exc).__name__
    return (f"crossvet: internal error (a bug in crossvet, please report it with "
            f"CROSSVET_DEBUG=1's traceback): {what}; {where}\n")


def run(argv: Sequence[str], env: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    """One crossvet command. Everything it prints goes through crossvet/console.py, which in
    GitHub Actions keeps echoed text from being read as a workflow command."""
    with console.guard(env, out, err) as (log_out, log_err):
        return _run(argv, env, log_out, log_err)


def _run(argv: Sequence[str], env: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    parser = build_parser()
    try:  # argparse prints to sys.stdout/stderr: send that through the same (guarded) streams
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = parser.parse_args(list(argv))
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    start = time.time()
    try:
        return _dispatch(args, env, out, err)
    except CrossvetError as exc:
        err.write(f"crossvet: error: {exc}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        err.write("crossvet: interrupted\n")
        return EXIT_INTERRUPTED
    except Exception as exc:  # the one place a bug becomes exit 3, never a traceback or exit 1
        if env.get("CROSSVET_DEBUG", "") not in ("", "0"):
            traceback.print_exc(file=err)
        err.write(bug_message(exc, _written_since(args, start)))
        return EXIT_INFRA


def _inputs(args: argparse.Namespace, opts: CheckOptions | None) -> dict[str, str]:
    """The files this command reads that an output path must never be (path -> what it is);
    a module's own files are known by name (outputs.check_outputs)."""
    results = getattr(args, "results", None) or []
    found = dict.fromkeys([results] if isinstance(results, str) else results,
                          "a results file it reads")
    if opts is not None:
        found[opts.config_path] = "the config file"
        found[opts.baseline] = "the baseline file"
        if opts.goreleaser:
            found[os.path.join(opts.module_dir, opts.goreleaser)] = "the goreleaser config"
    return found


def _dispatch(args: argparse.Namespace,
              env: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    opts = pipeline.resolve_options(vars(args), env, os.cpu_count()) \
        if args.command in ("check", "baseline") else None
    check_outputs(_outputs(args), inputs=_inputs(args, opts),
                  names=(*CONFIG_NAMES, *pipeline.GORELEASER_NAMES))
    if args.command == "check":
        assert opts is not None
        return pipeline.check(opts, env, out, tty=out.isatty(), flags=vars(args))
    if args.command == "baseline":
        assert opts is not None
        return pipeline.write_baseline(opts, env, out, tty=out.isatty(), path=args.output,
                                       flags=vars(args))
    if args.command == "plan":
        return _plan(args, env, out)
    if args.command == "init":
        return _init(args, out)
    if args.command == "merge":
        return _merge(args, env, out)
    if args.command == "report":
        return _report(args, env, out)
    if args.command == "comment":
        return github.post_comment(load(args.results), env=env, key=args.key, pr=args.pr,
                                   repo=args.repo, out=out, err=err)
    raise UsageError(f"unknown command {args.command}")


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM (CI cancelling a job) cleans up like Ctrl-C


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    sys.exit(run(sys.argv[1:], os.environ, sys.stdout, sys.stderr))
