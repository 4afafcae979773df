"""The live progress: plain lines when not on a terminal, a status line that is always erased
before a permanent line on one, and the engine build told as a note."""

from __future__ import annotations

import io

from checker.model import CheckResult
from crossvet.pipeline import colored
from crossvet.progress import Progress
from matrix.plan import Job
from matrix.targets import Target

JOB = Job(target=Target.parse("linux/386"), checks=("vet",))
OK = (CheckResult(target="linux/386", check="vet", status="ok", duration=1.0),)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_not_on_a_terminal_only_plain_lines_are_written() -> None:
    out, clock = io.StringIO(), Clock()
    p = Progress(out, total=1, tty=False, github=False, clock=clock)
    p.start((JOB,), "go1.27.3", 2)
    p.began("linux/386")
    p.tick()
    p.note("building the type-check engine with go1.27.3 (first run only)...")
    clock.now += 3.5
    p.on_job(JOB, OK)
    p.finish()
    text = out.getvalue()
    assert "\r" not in text and "\033" not in text
    assert text.splitlines() == [
        "crossvet: 1 target x vet with go1.27.3, 2 at a time",
        "crossvet: building the type-check engine with go1.27.3 (first run only)...",
        "[1/1] linux/386    ok      0 problems  (vet ok; 1.0s)",
        "crossvet: checked in 3.5s",
    ]


def test_on_a_terminal_the_status_line_is_erased_before_each_permanent_line() -> None:
    out, clock = io.StringIO(), Clock()
    p = Progress(out, total=1, tty=True, github=False, clock=clock)
    p.start((JOB,), "go1.27.3", 2)
    p.began("linux/386")
    clock.now += 12
    p.tick()
    assert out.getvalue().endswith("running: linux/386 12s")
    p.on_job(JOB, OK)
    text = out.getvalue()
    after = text[text.rindex("running: linux/386 12s") + len("running: linux/386 12s"):]
    assert after.startswith("\r\033[K[1/1] linux/386")
    assert "running:" not in after  # the finished job left the status line
    p.began("typecheck (4 targets)")
    with p.live():
        pass
    assert out.getvalue().endswith("\r\033[K")  # nothing left on the screen after the run


def test_in_github_actions_a_job_is_a_group_and_no_status_line_is_drawn() -> None:
    out = io.StringIO()
    p = Progress(out, total=1, tty=False, github=True, clock=Clock())
    p.began("linux/386")
    p.on_job(JOB, OK)
    assert out.getvalue().splitlines() == [
        "::group::[1/1] linux/386    ok      0 problems  (vet ok; 1.0s)", "::endgroup::"]


def test_color_is_its_own_choice() -> None:
    """--color always colours a log that is not a terminal (CI logs show ANSI colours) without
    drawing the status line; never keeps a terminal plain; NO_COLOR turns auto off."""
    out = io.StringIO()
    p = Progress(out, total=1, tty=False, github=False, clock=Clock(), color=True)
    p.began("linux/386")
    p.on_job(JOB, OK)
    assert out.getvalue() == \
        "[1/1] linux/386    \033[32mok   \033[0m   0 problems  (vet ok; 1.0s)\n"
    out = io.StringIO()
    p = Progress(out, total=1, tty=True, github=False, clock=Clock(), color=False)
    p.on_job(JOB, OK)
    assert "\033[32m" not in out.getvalue() and out.getvalue().startswith("[1/1] linux/386")
    assert [colored(c, tty=t, env=e) for c, t, e in [
        ("auto", True, {}), ("auto", False, {}), ("auto", True, {"NO_COLOR": "1"}),
        ("always", False, {"NO_COLOR": "1"}), ("never", True, {})]] == \
        [True, False, False, True, False]


def test_an_error_is_said_once_with_the_checks_it_stopped_then_referred_to() -> None:
    out = io.StringIO()
    p = Progress(out, total=2, tty=False, github=False, clock=Clock())
    why = "a required module could not be downloaded (module lookup disabled by GOPROXY=off)"
    for tid in ("linux/386", "linux/amd64"):
        p.on_job(Job(target=Target.parse(tid), checks=("typecheck", "vet")),
                 tuple(CheckResult(target=tid, check=c, status="error", error=why)
                       for c in ("typecheck", "vet")))
    assert out.getvalue().splitlines()[1:] == [
        f"      typecheck, vet: {why}",
        "[2/2] linux/amd64  error   0 problems  (typecheck error, vet error; 0.0s)",
        "      typecheck, vet: as above: a required module could not be downloaded (module "
        "lookup ...",
    ]
