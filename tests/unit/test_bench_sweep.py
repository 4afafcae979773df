"""bench/sweep.py reports a count's median run, and every round's seconds beside it."""

from __future__ import annotations

from bench.sweep import Run, median_run


def run(seconds: float, findings: int = 1) -> Run:
    return (seconds, 400.0, {"checked_full": int(seconds * 10)},
            {("linux/amd64", "a.go", n, 1, "vet", "m") for n in range(findings)}, "")


def test_the_median_run_is_reported_with_every_rounds_seconds_in_order() -> None:
    runs = [run(3.5), run(3.1), run(3.3)]
    median, spread = median_run(runs)
    assert median is runs[2]
    assert median[2] == {"checked_full": 33}  # its stats come with it
    assert spread == "3.50 3.10 3.30"


def test_of_an_even_number_of_rounds_the_lower_middle_one() -> None:
    runs = [run(2.0), run(4.0), run(1.0), run(3.0)]
    assert median_run(runs)[0] is runs[0]


def test_one_round_is_that_run() -> None:
    only = run(1.25)
    assert median_run([only]) == (only, "1.25")
