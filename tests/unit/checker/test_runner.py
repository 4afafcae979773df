"""The runner and the vet/build checks, against a backend that plays go's part: job order,
time limits, nothing lost when one job or the machinery fails, batch checks merged in."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager

import pytest

from checker.commands import GoCommand
from checker.model import CheckResult
from checker.proc import ProcessGroup, ProcResult
from checker.runner import Interrupted, OnResult, PoolRunner
from checker.vetbuild import run_job
from matrix.errors import InfraError
from matrix.plan import Job, Plan
from matrix.targets import Target

VET_386 = "# example.com/m\n./size.go:3:18: cannot use 1 << 40 (untyped int constant " \
          "1099511627776) as int value in variable declaration (overflows)\n"


def job(tid: str, checks: tuple[str, ...] = ("vet", "build")) -> Job:
    return Job(target=Target.parse(tid), checks=checks)


class FakeExecutor:
    """Answers like go: `list` names a package, build is clean, vet finds the overflow on 386."""

    def __init__(self, *, seen: list[tuple[str, str]], fail: str = "",
                 list_timed_out: bool = False) -> None:
        self.seen = seen
        self.fail = fail
        self.list_timed_out = list_timed_out
        self.lock = threading.Lock()

    @property
    def module_dir(self) -> str:
        return "/m"

    @property
    def workdir(self) -> str:
        return "/m"

    @property
    def version(self) -> tuple[int, int, int]:
        return (1, 23, 0)  # before `go build -json`: build's text output is parsed

    def go(self, cmd: GoCommand, *, timeout: float | None) -> ProcResult:
        env = cmd.env_dict()
        name = f"{env['GOOS']}/{env['GOARCH']}"
        with self.lock:
            self.seen.append((name, cmd.args[0]))
        if name == self.fail:
            raise RuntimeError("a bug in one job")
        out, err, code, timed_out = "", "", 0, False
        if cmd.args[0] == "list":
            out = '{"ImportPath": "example.com/m", "Dir": "/m", "GoFiles": ["size.go"]}\n'
            timed_out = self.list_timed_out
        elif cmd.args[0] == "vet" and env["GOARCH"] == "386":
            err, code = VET_386, 1
        return ProcResult(argv=("go", *cmd.args), exit_code=None if timed_out else code,
                          stdout=out, stderr=err, duration=0.01, timed_out=timed_out)

    def __enter__(self) -> FakeExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class FakeBackend:
    def __init__(self, executor: FakeExecutor) -> None:
        self._ex = executor

    def executor(self, job: Job) -> AbstractContextManager[FakeExecutor]:
        if job.target.goos == "plan9":
            raise InfraError("no image for this job")
        return self._ex


def test_build_runs_before_vet_and_findings_are_parsed() -> None:
    seen: list[tuple[str, str]] = []
    results = run_job(job("linux/386"), FakeExecutor(seen=seen), packages=["./..."], timeout=60)
    assert seen == [("linux/386", "list"), ("linux/386", "build"), ("linux/386", "vet")]
    by = {r.check: r for r in results}
    assert by["build"].status == "ok" and by["build"].packages == ("example.com/m",)
    assert by["vet"].status == "fail"
    (d,) = by["vet"].diagnostics
    assert (d.file, d.line, d.col, d.category) == ("size.go", 3, 18, "overflow")


def test_a_listing_that_times_out_errors_every_check_without_running_them() -> None:
    seen: list[tuple[str, str]] = []
    results = run_job(job("linux/amd64"), FakeExecutor(seen=seen, list_timed_out=True),
                      packages=["./..."], timeout=5)
    assert seen == [("linux/amd64", "list")]
    assert [(r.check, r.status) for r in results] == [("build", "error"), ("vet", "error")]
    assert all("timed out" in r.error and "5s" in r.error for r in results)


def test_one_failing_job_loses_nothing_of_the_others() -> None:
    seen: list[tuple[str, str]] = []
    all_jobs = (job("linux/amd64"), job("windows/386"), job("linux/386"), job("plan9/386"))
    batch_calls: list[list[str]] = []

    def batch(jobs: Sequence[Job], *, packages: Sequence[str], timeout: float | None,
              on_result: OnResult) -> Mapping[str, CheckResult]:
        batch_calls.append([j.name for j in jobs])
        return {j.name: CheckResult(target=j.name, check="typecheck", status="ok")
                for j in jobs}

    with_tc = tuple(Job(target=j.target, checks=(*j.checks, "typecheck")) for j in all_jobs[:2])
    plan = Plan(jobs=(*with_tc, *all_jobs[2:]), order=tuple(j.name for j in all_jobs))
    reported: list[str] = []
    runner = PoolRunner(backend=FakeBackend(FakeExecutor(seen=seen, fail="windows/386")),
                        jobs=2, timeout=60, group=ProcessGroup(), batch={"typecheck": batch})
    outcome = runner.run(plan, on_job=lambda j, _: reported.append(j.name))
    assert batch_calls == [["linux/amd64", "windows/386"]]
    assert sorted(reported) == sorted(j.name for j in all_jobs)
    assert list(outcome.results) == [j.name for j in all_jobs]  # plan order, not finish order
    status = {name: [(r.check, r.status) for r in res] for name, res in outcome.results.items()}
    assert status["linux/amd64"] == [("build", "ok"), ("vet", "ok"), ("typecheck", "ok")]
    assert status["linux/386"] == [("build", "ok"), ("vet", "fail")]
    assert status["windows/386"] == [("vet", "error"), ("build", "error"), ("typecheck", "ok")]
    assert "internal error" in outcome.results["windows/386"][0].error
    assert status["plan9/386"] == [("vet", "error"), ("build", "error")]
    assert outcome.results["plan9/386"][0].error == "no image for this job"


def test_a_job_with_only_batch_checks_is_reported_as_its_results_come() -> None:
    """While the batch runs, a job is reported once every batch check it has answered (the
    engine tells typecheck's and vet's together); a job that also builds waits for its build."""
    seen: list[tuple[str, str]] = []
    events: list[str] = []
    engine = ("typecheck", "vet")
    plan = Plan(jobs=(job("linux/386", engine), job("linux/amd64", engine),
                      job("linux/arm", (*engine, "build"))),
                order=("linux/386", "linux/amd64", "linux/arm"))

    def result(name: str, check: str) -> CheckResult:
        return CheckResult(target=name, check=check, status="ok", duration=1.0)

    def typecheck(jobs: Sequence[Job], *, packages: Sequence[str], timeout: float | None,
                  on_result: OnResult) -> Mapping[str, CheckResult]:
        for name in ("linux/amd64", "linux/arm", "linux/386"):
            on_result(result(name, "typecheck"))
            events.append(f"told typecheck {name}")
            on_result(result(name, "vet"))
            events.append(f"told vet {name}")
        events.append("typecheck returns")
        return {j.name: result(j.name, "typecheck") for j in jobs}

    def vet(jobs: Sequence[Job], *, packages: Sequence[str], timeout: float | None,
            on_result: OnResult) -> Mapping[str, CheckResult]:
        events.append("vet returns")
        return {j.name: result(j.name, "vet") for j in jobs}

    runner = PoolRunner(backend=FakeBackend(FakeExecutor(seen=seen)), jobs=2, timeout=60,
                        group=ProcessGroup(), batch={"typecheck": typecheck, "vet": vet})
    outcome = runner.run(plan, on_job=lambda j, checks: events.append(
        f"job {j.name}: {', '.join(c.check for c in checks)}"))
    assert events == ["told typecheck linux/amd64", "job linux/amd64: typecheck, vet",
                      "told vet linux/amd64", "told typecheck linux/arm", "told vet linux/arm",
                      "told typecheck linux/386", "job linux/386: typecheck, vet",
                      "told vet linux/386", "typecheck returns", "vet returns",
                      "job linux/arm: build, typecheck, vet"]
    assert [r.check for r in outcome.results["linux/386"]] == ["typecheck", "vet"]
    assert seen == [("linux/arm", "list"), ("linux/arm", "build")]


class CtrlCExecutor(FakeExecutor):
    """Ctrl-C arrives while `fail`'s go runs (its KeyboardInterrupt reaches the main thread)."""

    def go(self, cmd: GoCommand, *, timeout: float | None) -> ProcResult:
        if cmd.env_dict()["GOARCH"] == "386":
            raise KeyboardInterrupt
        return super().go(cmd, timeout=timeout)


def _typecheck_ok(jobs: Sequence[Job], *, packages: Sequence[str], timeout: float | None,
                  on_result: OnResult) -> Mapping[str, CheckResult]:
    return {j.name: CheckResult(target=j.name, check="typecheck", status="ok") for j in jobs}


def test_an_interrupt_in_the_pool_keeps_what_finished_and_the_batch_answers() -> None:
    plan = Plan(jobs=(job("linux/amd64", ("build", "typecheck")),
                      job("windows/386", ("build", "typecheck"))))
    group = ProcessGroup()
    runner = PoolRunner(backend=FakeBackend(CtrlCExecutor(seen=[])), jobs=1, timeout=60,
                        group=group, batch={"typecheck": _typecheck_ok})
    with pytest.raises(Interrupted) as caught:
        runner.run(plan, on_job=lambda j, _: None)
    assert group.cancelled.is_set()  # every child was killed
    partial = {name: [(r.check, r.status) for r in res]
               for name, res in caught.value.partial.items()}
    assert partial == {"linux/amd64": [("build", "ok"), ("typecheck", "ok")],
                       "windows/386": [("typecheck", "ok")]}


def test_an_interrupt_in_a_batch_check_keeps_the_results_it_told() -> None:
    """The engine tells each target's results as it finishes them: Ctrl-C after one target
    keeps that target's, and the jobs never start."""
    def interrupted(jobs: Sequence[Job], *, packages: Sequence[str], timeout: float | None,
                    on_result: OnResult) -> Mapping[str, CheckResult]:
        on_result(CheckResult(target="linux/386", check="typecheck", status="fail"))
        raise KeyboardInterrupt

    seen: list[tuple[str, str]] = []
    group = ProcessGroup()
    runner = PoolRunner(backend=FakeBackend(FakeExecutor(seen=seen)), jobs=2, timeout=60,
                        group=group, batch={"typecheck": interrupted})
    with pytest.raises(Interrupted) as caught:
        runner.run(Plan(jobs=(job("linux/amd64", ("build", "typecheck")),
                              job("linux/386", ("typecheck",)))), on_job=lambda j, _: None)
    assert {n: [(r.check, r.status) for r in res] for n, res in caught.value.partial.items()} \
        == {"linux/amd64": [], "linux/386": [("typecheck", "fail")]}
    assert group.cancelled.is_set() and seen == []  # the jobs never started
