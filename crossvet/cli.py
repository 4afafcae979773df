"""The entry point. Typed errors become exit codes here, and only here:

0 clean, 1 findings, 2 usage or configuration error, 3 infrastructure error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from checker.backends import open_backend
from checker.proc import ProcessGroup
from crossvet import github, pipeline
from crossvet.outputs import load
from matrix.config import CONFIG_NAMES
from matrix.config import TEMPLATE as CONFIG_TEMPLATE
from matrix.errors import EXIT_INTERRUPTED, EXIT_USAGE, CrossvetError, UsageError
from matrix.shards import MAX_GITHUB_MATRIX
from reports import plan_table
from reports.merge import merge as merge_shards
from reports.results import VERSION


def _add_report_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", dest="json_path", metavar="FILE", help="write the results JSON")
    p.add_argument("--junit", dest="junit_path", metavar="FILE", help="write JUnit XML")
    p.add_argument("--markdown", dest="markdown_path", metavar="FILE", help="write Markdown")
    p.add_argument("--sarif", dest="sarif_path", metavar="FILE",
                   help="write SARIF 2.1.0 for GitHub code scanning")


def _add_plan_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", nargs="?", default=".", help="Go module root (default: .)")
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
    p.add_argument("--typecheck-memory", type=int, metavar="MB",
                   help="soft heap limit of the typecheck engine (default: 2048)")
    p.add_argument("--no-typecheck-cache", dest="typecheck_cache", action="store_const",
                   const="off", help="type-check again even when nothing changed")
    p.add_argument("--cache-dir", help="crossvet's cache directory (default: ~/.cache/crossvet)")


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
    _add_report_flags(p)

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
    _add_report_flags(p)

    p = sub.add_parser("report", help="write reports from a results JSON file")
    p.add_argument("results", help="results JSON written by `crossvet check --json`")
    p.add_argument("--module-dir", default=".",
                   help="where the checked module is (for repository-relative paths; default: .)")
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
    github.start(env, out)
    return pipeline.publish(results, args, module_dir=args.module_dir, env=env, out=out)


def _plan(args: argparse.Namespace, env: Mapping[str, str], out: TextIO) -> int:
    if args.shards < 0 or (args.format == "github-matrix" and args.shards > MAX_GITHUB_MATRIX):
        raise UsageError(f"--shards must be between 1 and {MAX_GITHUB_MATRIX} "
                         "(a GitHub Actions matrix has at most 256 jobs)")
    opts = pipeline.resolve_options(vars(args), env, os.cpu_count())
    with open_backend(opts, env, ProcessGroup()) as backend:
        plan = pipeline.make_plan(opts, backend, checking=False)
        go = backend.go_version
    out.write(plan_table.render(plan, args.format, go=go, shards=args.shards))
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


def _merge(args: argparse.Namespace, out: TextIO) -> int:
    results = merge_shards([(p, load(p)) for p in args.results])
    # The merge job's `crossvet report` annotates once for all shards; merge itself does not.
    return pipeline.publish(results, args, module_dir=".", env={}, out=out, annotate=False)


def run(argv: Sequence[str], env: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        if args.command == "check":
            opts = pipeline.resolve_options(vars(args), env, os.cpu_count())
            return pipeline.check(opts, env, out, tty=out.isatty())
        if args.command == "plan":
            return _plan(args, env, out)
        if args.command == "init":
            return _init(args, out)
        if args.command == "merge":
            return _merge(args, out)
        if args.command == "report":
            return _report(args, env, out)
        if args.command == "comment":
            return github.post_comment(load(args.results), env=env, key=args.key, pr=args.pr,
                                       repo=args.repo, out=out, err=err)
        parser.error(f"unknown command {args.command}")
    except CrossvetError as exc:
        err.write(f"crossvet: error: {exc}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        err.write("crossvet: interrupted\n")
        return EXIT_INTERRUPTED
    return EXIT_USAGE


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM (CI cancelling a job) cleans up like Ctrl-C


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    sys.exit(run(sys.argv[1:], os.environ, sys.stdout, sys.stderr))
