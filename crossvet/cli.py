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
from typing import Any, TextIO

from checker.backends import open_backend
from checker.proc import ProcessGroup
from crossvet import console, github, pipeline, scope
from crossvet.outputs import check_outputs, load
from matrix.config import BY_KEY, CONFIG_NAMES, OPTIONS, template
from matrix.errors import EXIT_INFRA, EXIT_INTERRUPTED, CrossvetError, UsageError
from matrix.options import CheckOptions
from matrix.shards import MAX_GITHUB_MATRIX, fit
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


def _add_options(p: argparse.ArgumentParser, command: str) -> None:
    """The flags of `command`, from the one option table (matrix/config.OPTIONS). Values are
    strings: the cascade normalises them as it does variables and the file (matrix/options.py)."""
    groups: dict[str, argparse._ActionsContainer] = {"": p}
    if command in BY_KEY["module_dir"].commands:
        p.add_argument("path", nargs="?", default=".", help=BY_KEY["module_dir"].full_help)
    for o in OPTIONS:
        if command not in o.commands or not o.flag_names:
            continue
        if o.group not in groups:
            groups[o.group] = p.add_argument_group(o.group)
        kwargs: dict[str, Any] = {"dest": o.key, "help": o.full_help.replace("%", "%%")}
        if o.flag_value:
            kwargs.update(action="store_const", const=o.flag_value)
        else:
            kwargs.update(metavar=o.metavar or None, choices=o.choices or None,
                          nargs="+" if o.many else None)
        groups[o.group].add_argument(*o.flag_names, **kwargs)
    if command in BY_KEY["outputs"].commands:
        _add_report_flags(p)


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
    _add_options(p, "check")

    p = sub.add_parser("baseline", help="write the current findings as a baseline file")
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="the baseline file to write (a results file without timings)")
    _add_options(p, "baseline")

    p = sub.add_parser("plan", help="print the jobs `check` would run, without running them")
    _add_options(p, "plan")
    p.add_argument("--format", choices=("table", "json", "github-matrix"), default="table",
                   help="table (default), json, or github-matrix (for strategy.matrix)")
    p.add_argument("--shards", type=int, default=0, metavar="N",
                   help="split the jobs into N balanced shards (run one with check --shard I/N)")

    p = sub.add_parser("init", help="write a commented .crossvet.yaml")
    p.add_argument("path", nargs="?", default=".", help="Go module root (default: .)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")

    p = sub.add_parser("merge", help="join shard results into one results file")
    p.add_argument("results", nargs="+", help="results JSON of every shard (check --shard --json)")
    _add_options(p, "merge")

    p = sub.add_parser("report", help="write reports from a results JSON file")
    p.add_argument("results", help="results JSON written by `crossvet check --json`")
    p.add_argument("--module-dir", default=".",
                   help="where the checked module is (for repository-relative paths; default: .)")
    _add_options(p, "report")

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
    opts = scope.resolve_options({**vars(args), "path": args.module_dir}, env, 1)
    github.start(env, out)
    return pipeline.publish(results, opts, module_dir=args.module_dir, env=env, out=out)


def _plan(args: argparse.Namespace, env: Mapping[str, str], out: TextIO) -> int:
    if args.shards < 0 or (args.format == "github-matrix" and args.shards > MAX_GITHUB_MATRIX):
        raise UsageError(f"--shards must be between 1 and {MAX_GITHUB_MATRIX} "
                         "(a GitHub Actions matrix has at most 256 jobs)")
    opts = scope.resolve_options(vars(args), env, os.cpu_count())
    opts, covered = scope.resolve_scope(opts, vars(args), env)
    group = ProcessGroup()  # Ctrl-C kills its probes at once (pipeline.interrupts)
    with pipeline.interrupts(group), open_backend(opts, env, group) as backend:
        covered = scope.probe_modules(covered, opts, backend)
        plan = pipeline.make_plan(opts, backend, checking=False, scope=covered)
        go = backend.go_version
    shards, note = fit(args.shards, len(plan.jobs))
    if note:
        plan = replace(plan, notes=(*plan.notes, note))
    from reports import plan_table  # noqa: PLC0415 (deliberately lazy: tabulate, for plan only)
    out.write(plan_table.render(plan, args.format, go=go, shards=shards))
    return 0


def _init(args: argparse.Namespace, out: TextIO) -> int:
    path = os.path.join(args.path, CONFIG_NAMES[0])
    if os.path.exists(path) and not args.force:
        raise UsageError(f"{path} exists (use --force to overwrite)")
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(template())
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
    out.write(f"wrote {path}\n")
    return 0


def _merge(args: argparse.Namespace, env: Mapping[str, str], out: TextIO) -> int:
    results = merge_shards([(p, load(p)) for p in args.results])
    opts = scope.resolve_options({**vars(args), "path": "."}, env, 1)
    # The merge job's `crossvet report` annotates once for all shards; merge itself does not.
    return pipeline.publish(results, opts, module_dir=".", env={}, out=out, annotate=False)


_OUTPUT_OPTIONS = tuple(o for o in OPTIONS if o.output and o.flag_names)  # --write-baseline


def _outputs(args: argparse.Namespace) -> list[tuple[str, str]]:
    """Every file this command was asked to write, with its flag: reports and baseline files."""
    return [*((f"--{name}", path) for name, path in getattr(args, "outputs", None) or ()),
            *((o.flag_names[0], getattr(args, o.key, None) or "") for o in _OUTPUT_OPTIONS),
            ("--output", getattr(args, "output", None) or "")]


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
    opts = scope.resolve_options(vars(args), env, os.cpu_count()) \
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
    code = run(sys.argv[1:], os.environ, sys.stdout, sys.stderr)
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away: nothing more to say, and no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(code)
