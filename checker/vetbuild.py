"""`vet` and `build`: run one job's per-process checks through its executor and turn go's
output into a CheckResult each."""

from __future__ import annotations

import time
from collections.abc import Sequence

from checker import commands, parse
from checker.backends import Executor
from checker.model import CheckResult, Diagnostic, status_of
from checker.proc import ProcResult
from matrix.checks import BUILD, PER_PROCESS_CHECKS, VET
from matrix.plan import Job


def _failure(result: ProcResult, what: str, timeout: float | None) -> str:
    """Why a command gave no usable output; `timeout` is the job's whole budget."""
    if result.timed_out:
        return f"{what} timed out (the job's limit is {timeout:g}s) and was killed"
    if result.cancelled:
        return "interrupted"
    if result.exit_code is not None and result.exit_code < 0:
        return f"{what} was killed by signal {-result.exit_code}"
    return ""


def _crash(text: str) -> str:
    """A toolchain crash: an internal compiler error or a panic in the go command itself."""
    for line in text.splitlines():
        if "internal compiler error" in line or line.startswith(("panic: ", "fatal error: ")):
            return line.strip()
    return ""


def run_check(job: Job, check: str, executor: Executor, *, packages: Sequence[str],
              timeout: float | None, limit: float | None,
              listing: parse.Listing) -> CheckResult:
    """Run one check; `timeout` is what is left of the job's time, `limit` the whole of it."""
    where = parse.Where(target=job.name, check=check, module_dir=executor.module_dir,
                        cwd=executor.workdir, files=listing.files or None)
    if check == VET:
        cmd = commands.vet(job, packages)
    elif check == BUILD:
        cmd = commands.build(job, packages, json_output=executor.version >= (1, 24, 0))
    else:
        raise ValueError(f"check {check!r} does not run per job")
    result = executor.go(cmd, timeout=timeout)
    error = _failure(result, f"go {check}", limit)
    diags: list[Diagnostic] = []
    if not error:
        if check == VET:
            diags = parse.parse_vet(result.stdout + "\n" + result.stderr, where)
        else:
            diags = parse.parse_build_json(result.stdout, where)
            diags += parse.parse_text(result.stderr, where)
        crash = _crash(result.stdout + "\n" + result.stderr)
        if crash:
            error = f"go {check} crashed: {crash}"
        elif result.exit_code and not diags and not parse.saw_no_packages(result.stderr):
            # Non-zero exit with nothing we understood: keep the evidence, never drop it.
            error = f"go {check} exited {result.exit_code} without diagnostics"
    unique, environment = parse.split_environment(parse.dedupe(diags))
    error = "; ".join(e for e in (error, environment) if e)
    return CheckResult(
        target=job.name, check=check, status=status_of(unique, error), diagnostics=unique,
        packages=listing.packages, duration=result.duration, exit_code=result.exit_code,
        error=error,
    )


def run_job(job: Job, executor: Executor, *, packages: Sequence[str],
            timeout: float | None,
            checks: Sequence[str] | None = None) -> tuple[CheckResult, ...]:
    """List the job's packages, then run its per-process checks (`checks`, by default all the
    job's) one after another.

    The checks of one job run in sequence so that `go vet` reuses the dependencies `go build`
    just compiled; jobs run in parallel with each other. `timeout` bounds the whole job.
    """
    start = time.monotonic()
    deadline = None if timeout is None else start + timeout

    def left() -> float | None:
        return None if deadline is None else max(0.1, deadline - time.monotonic())

    listing = executor.go(commands.list_packages(job, packages), timeout=left())
    listed = parse.parse_listing(listing.stdout, executor.module_dir)
    results: list[CheckResult] = []
    order = [c for c in PER_PROCESS_CHECKS if c in (job.checks if checks is None else checks)]
    for i, check in enumerate(order):
        if listing.timed_out or listing.cancelled:
            err = _failure(listing, "go list", timeout)
            results.extend(CheckResult(target=job.name, check=c, status="error", error=err,
                                       duration=listing.duration if c == check else 0.0)
                           for c in order[i:])
            break
        res = run_check(job, check, executor, packages=packages, timeout=left(), limit=timeout,
                        listing=listed)
        results.append(res)
        if res.error and (res.error == "interrupted" or "timed out" in res.error):
            # Nothing left of the job's time (or the run is over): the rest are not run.
            results.extend(CheckResult(target=job.name, check=c, status="error", error=res.error)
                           for c in order[i + 1:])
            break
    return tuple(results)
