"""bench/reach.py judges the issue's bars on the runs of one invocation, and none on a run
that is no measurement."""

from __future__ import annotations

from pathlib import Path

from bench.reach import (
    CLI_WARM,
    DEFAULT,
    DEFAULT_BEFORE,
    K8S,
    TYPECHECK,
    TYPECHECK_BEFORE,
    Timing,
    median_run,
    render,
)
from matrix.plan import Job, Plan
from matrix.targets import Target

PLAN = Plan(jobs=(Job(target=Target.parse("linux/386"), checks=("typecheck", "vet")),))


def _runs(**seconds: float) -> list[Timing]:
    names = {"k8s": K8S, "tc": TYPECHECK, "tc_before": TYPECHECK_BEFORE, "default": DEFAULT,
             "default_before": DEFAULT_BEFORE, "warm": CLI_WARM}
    return [Timing(name=names[k], seconds=v) for k, v in seconds.items()]


def test_the_bars_are_ratios_of_runs_side_by_side() -> None:
    text = render(Path("/m"), PLAN, _runs(k8s=30.0, tc=6.0, tc_before=5.0, default=9.0,
                                          default_before=5.0, warm=0.3))
    assert "2-wide: 5.0x -> met" in text
    assert "bar: cold default <= 1.5x default, deps as before: 1.80x -> NOT met" in text
    assert "bar: cold typecheck <= 1.5x typecheck, deps as before: 1.20x -> met" in text
    assert "bar: warm crossvet check <= 0.5 s: 0.30 s -> met" in text


def test_a_failed_run_judges_no_bar() -> None:
    runs = _runs(k8s=30.0, tc=6.0, tc_before=5.0, default=9.0, default_before=5.0)
    runs[0].failed = "linux/386: no packages"
    text = render(Path("/m"), PLAN, runs)
    assert "2-wide: not measured" in text
    assert "not measured: k8s typecheck, 2-wide: linux/386: no packages" in text
    assert "warm" not in text


def test_the_warm_bar_is_judged_on_the_median_of_repeated_runs() -> None:
    warm = median_run([Timing(name=CLI_WARM, seconds=s) for s in (0.9, 0.4, 0.45, 2.0, 0.48)])
    assert warm.seconds == 0.48
    assert "median of 5: 0.90, 0.40, 0.45, 2.00, 0.48" in warm.name
    text = render(Path("/m"), PLAN, [warm])
    assert "bar: warm crossvet check <= 0.5 s: 0.48 s -> met" in text
    failed = Timing(name=CLI_WARM, seconds=0.1, failed="exit 3")
    assert median_run([Timing(name=CLI_WARM, seconds=0.2), failed]) is failed
