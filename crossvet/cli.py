"""The entry point. Typed errors become exit codes here, and only here:

0 clean, 1 findings, 2 usage or configuration error, 3 infrastructure error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from crossvet import __version__, workflow
from crossvet.errors import EXIT_INTERRUPTED, EXIT_USAGE, CrossvetError
from matrix.options import resolve_check
from reports import terminal
from reports.results import load
from reports.write import write_all


def _add_report_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", dest="json_path", metavar="FILE", help="write the results JSON")
    p.add_argument("--junit", dest="junit_path", metavar="FILE", help="write JUnit XML")
    p.add_argument("--markdown", dest="markdown_path", metavar="FILE", help="write Markdown")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crossvet",
        description="Vet, build and type-check a Go module for every GOOS/GOARCH target.",
        epilog="exit codes: 0 clean, 1 findings, 2 usage/config error, 3 infrastructure error "
               "(no go, timeout, crash), 130 interrupted",
    )
    parser.add_argument("--version", action="version", version=f"crossvet {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("check", help="run the checks for every target")
    p.add_argument("path", nargs="?", default=".", help="Go module root (default: .)")
    p.add_argument("--targets", help="comma list of GOOS/GOARCH ids (default: first-class ports)")
    p.add_argument("--checks", help="comma list of vet,build,typecheck (default: vet,build)")
    p.add_argument("--tags", help="comma list of build tags")
    p.add_argument("--packages", nargs="+", metavar="PATTERN", help="package patterns (./...)")
    p.add_argument("--jobs", "-j", type=int, help="targets checked at once (default: cores)")
    p.add_argument("--timeout", type=float, help="seconds per target before it is killed (900)")
    p.add_argument("--go", help="the go binary to use (default: go on PATH)")
    _add_report_flags(p)

    p = sub.add_parser("report", help="write reports from a results JSON file")
    p.add_argument("results", help="results JSON written by `crossvet check --json`")
    _add_report_flags(p)
    return parser


def _report(args: argparse.Namespace, out: TextIO) -> int:
    results = load(args.results)
    written = write_all(results, json_path=args.json_path, junit_path=args.junit_path,
                        markdown_path=args.markdown_path)
    out.write(terminal.summary(results))
    for path in written:
        out.write(f"wrote {path}\n")
    return workflow.exit_code(results)


def run(argv: Sequence[str], env: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        if args.command == "check":
            opts = resolve_check(vars(args), env, cpu_count=os.cpu_count())
            return workflow.check(opts, env, out, tty=out.isatty())
        if args.command == "report":
            return _report(args, out)
        parser.error(f"unknown command {args.command}")
    except CrossvetError as exc:
        err.write(f"crossvet: error: {exc}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        err.write("crossvet: interrupted\n")
        return EXIT_INTERRUPTED
    return EXIT_USAGE


def main() -> None:
    sys.exit(run(sys.argv[1:], os.environ, sys.stdout, sys.stderr))
