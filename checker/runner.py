"""The runner: take a Plan, run every job's checks, report each job as it finishes.

Jobs run in a bounded thread pool, each job's go commands through the executor its backend
gives it (on this machine or in containers: checker/backends.py); checks that cover all jobs at
once (the type-check engine) plug in as batch checks.
"""

from __future__ import annotations

import concurrent.futures as cf
import threading
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from checker.backends import Executor
from checker.depreports import place_dependency_reports
from checker.model import CheckResult
from checker.proc import ProcessGroup
from checker.vetbuild import run_job
from matrix.checks import PER_PROCESS_CHECKS
from matrix.errors import CrossvetError
from matrix.plan import Job, Plan

OnJob = Callable[[Job, tuple[CheckResult, ...]], None]
# Told a batch check's result for one job as soon as it is known, before the batch returns.
OnResult = Callable[[CheckResult], None]
# Told when work starts and when a batch check ends (a job's end is its OnJob): a label for people.
OnWork = Callable[[str], None]


def _nothing(_: str) -> None:
    pass


@dataclass(frozen=True, kw_only=True)
class RunOutcome:
    results: Mapping[str, tuple[CheckResult, ...]]  # job name -> its check results


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM) while the runner ran: every child was killed. `partial` is what had
    finished (job name -> the check results it has, possibly none); what an interrupted run's
    results are is the pipeline's to say (crossvet/pipeline.py)."""

    def __init__(self, partial: Mapping[str, tuple[CheckResult, ...]]) -> None:
        super().__init__()
        self.partial = partial


class Executors(Protocol):
    """What the runner needs of a backend (checker/backends.py): an executor per job."""

    def executor(self, job: Job) -> AbstractContextManager[Executor]: ...


class BatchCheck(Protocol):
    """A check that runs for all jobs in one go (e.g. the type-check engine). It may tell
    `on_result` each job's result as it is known, of this check or of another batch check it
    answers in the same run (the engine's typecheck and vet), and returns them all."""

    def __call__(self, jobs: Sequence[Job], *, packages: Sequence[str],
                 timeout: float | None, on_result: OnResult) -> Mapping[str, CheckResult]: ...


def _errors(job: Job, checks: Sequence[str], message: str) -> tuple[CheckResult, ...]:
    return tuple(CheckResult(target=job.name, check=c, status="error", error=message)
                 for c in checks)


class PoolRunner:
    """Runs jobs in a bounded thread pool; each job's go commands run through its executor."""

    def __init__(self, *, backend: Executors, jobs: int, timeout: float | None,
                 group: ProcessGroup, batch: Mapping[str, BatchCheck] | None = None) -> None:
        self._backend = backend
        self._width = max(1, jobs)
        self._timeout = timeout
        self._group = group
        self._batch = dict(batch or {})

    def _own(self, job: Job) -> list[str]:
        """The job's checks that run per process: those no batch check answers (`vet` runs in
        the type-check engine unless `--vet go`)."""
        return [c for c in job.checks if c in PER_PROCESS_CHECKS and c not in self._batch]

    def _one(self, job: Job, packages: Sequence[str],
             on_start: OnWork) -> tuple[CheckResult, ...]:
        checks = self._own(job)
        if not checks:
            return ()
        on_start(job.name)
        try:
            with self._backend.executor(job) as executor:
                return run_job(job, executor, packages=packages, timeout=self._timeout,
                               checks=checks)
        except CrossvetError as exc:
            return _errors(job, checks, str(exc))

    def _batched(self, job: Job, found: Mapping[str, Mapping[str, CheckResult]]
                 ) -> tuple[CheckResult, ...]:
        """A job's batch check results, in the order of the batch checks."""
        mine = found.get(job.name, {})
        return tuple(mine[c] for c in self._batch if c in mine)

    def _early(self, plan: Plan, results: dict[str, tuple[CheckResult, ...]],
               found: dict[str, dict[str, CheckResult]], lock: threading.Lock,
               on_job: OnJob) -> OnResult:
        """What batch checks tell as each job's result comes: a job with no checks of its
        own is told finished (on_job) as soon as every batch check it has answered, while
        the batch is still running for the others."""
        jobs = {j.name: j for j in plan.jobs}

        def got(res: CheckResult) -> None:
            job = jobs.get(res.target)
            if job is None or res.check not in self._batch:
                return
            with lock:
                found.setdefault(job.name, {})[res.check] = res
                if job.name in results or self._own(job) or any(
                        c not in found[job.name] for c in job.checks if c in self._batch):
                    return
                results[job.name] = self._batched(job, found)
            on_job(job, results[job.name])
        return got

    def run(self, plan: Plan, *, on_job: OnJob, on_start: OnWork = _nothing,
            on_end: OnWork = _nothing) -> RunOutcome:
        """Run every job; an interrupt kills every child and raises Interrupted with the
        results that had finished, the batch checks' included (those told as they came too)."""
        results: dict[str, tuple[CheckResult, ...]] = {}  # finished jobs, every check
        stopped: dict[str, tuple[CheckResult, ...]] = {}  # jobs whose own checks were cut short
        batch_results: dict[str, dict[str, CheckResult]] = {}
        lock = threading.Lock()
        try:
            early = self._early(plan, results, batch_results, lock, on_job)
            self._batches(plan, batch_results, lock=lock, early=early, on_start=on_start,
                          on_end=on_end)
            self._pool(plan, results=results, stopped=stopped, batch_results=batch_results,
                       lock=lock, on_job=on_job, on_start=on_start)
        except KeyboardInterrupt:
            self._group.kill_all()
            with lock:
                partial = {j.name: results.get(j.name) or (
                    *stopped.get(j.name, ()), *self._batched(j, batch_results))
                    for j in plan.jobs}
            raise Interrupted(partial) from None
        return RunOutcome(results={j.name: results.get(j.name, ()) for j in plan.jobs})

    def _batches(self, plan: Plan, found: dict[str, dict[str, CheckResult]], *,
                 lock: threading.Lock, early: OnResult, on_start: OnWork,
                 on_end: OnWork) -> None:
        for check, batch in self._batch.items():
            wanted = [j for j in plan.jobs if check in j.checks]
            if wanted:
                label = f"{check} ({len(wanted)} target{'s' if len(wanted) != 1 else ''})"
                on_start(label)
                try:
                    answer = batch(wanted, packages=plan.packages, timeout=self._timeout,
                                   on_result=early)
                finally:
                    on_end(label)
                with lock:
                    for name, res in answer.items():
                        found.setdefault(name, {})[check] = res

    def _pool(self, plan: Plan, *, results: dict[str, tuple[CheckResult, ...]],
              stopped: dict[str, tuple[CheckResult, ...]],
              batch_results: Mapping[str, Mapping[str, CheckResult]], lock: threading.Lock,
              on_job: OnJob, on_start: OnWork) -> None:
        def finish(job: Job, own: tuple[CheckResult, ...]) -> None:
            with lock:
                if job.name in results:  # told already, as its batch results came (_early)
                    return
                # build's report of a dependency's error is the engine's finding
                results[job.name] = place_dependency_reports(
                    own + self._batched(job, batch_results))
            on_job(job, results[job.name])

        pool = cf.ThreadPoolExecutor(max_workers=self._width, thread_name_prefix="crossvet")
        futures = {pool.submit(self._one, job, plan.packages, on_start): job
                   for job in plan.jobs}
        try:
            for fut in cf.as_completed(futures):
                job = futures[fut]
                try:
                    own = fut.result()
                except Exception as exc:  # a bug in one job must not lose the others
                    own = _errors(job, self._own(job), f"internal error: {exc!r}")
                finish(job, own)
        except BaseException:  # Ctrl-C: kill what runs, keep what the jobs cut short return
            self._group.kill_all()
            pool.shutdown(wait=True, cancel_futures=True)
            for fut, job in futures.items():
                if job.name not in results and fut.done() and not fut.cancelled() \
                        and fut.exception() is None:
                    stopped[job.name] = fut.result()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
