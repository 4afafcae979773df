"""Shards: balanced, stable, complete; bad shard specs are usage errors."""

from __future__ import annotations

import pytest

from matrix import shards
from matrix.errors import UsageError
from matrix.options import CheckOptions
from matrix.plan import Job, Plan
from matrix.planner import PlanInputs, make_plan
from matrix.shards import parse_shard, shard_of, split, weight
from tests.unit.matrix.test_selectors import PORTS


def plan_for(targets: str, tags: tuple[tuple[str, ...], ...] = ((),), cgo: str = "off") -> Plan:
    opts = CheckOptions(module_dir="/m", targets=targets, tag_sets=tags, cgo=cgo)
    return make_plan(opts, PlanInputs(ports=PORTS, host="linux/amd64"))


@pytest.mark.parametrize(("targets", "n"), [("all", 2), ("all", 5), ("all", 7),
                                             ("first-class", 3), ("first-class", 8),
                                             ("linux/386", 3)])
def test_shards_are_balanced_complete_and_disjoint(targets: str, n: int) -> None:
    plan = plan_for(targets, tags=((), ("netgo",)), cgo="host")
    parts = split(plan.jobs, n)
    assert len(parts) == n
    names = [j.name for part in parts for j in part]
    assert sorted(names) == sorted(j.name for j in plan.jobs)  # every job exactly once
    loads = [sum(weight(j) for j in part) for part in parts]
    assert max(loads) - min(loads) <= max(weight(j) for j in plan.jobs)
    order = {j.name: i for i, j in enumerate(plan.jobs)}
    for part in parts:  # each shard keeps plan order
        assert [order[j.name] for j in part] == sorted(order[j.name] for j in part)


def test_shards_are_stable() -> None:
    a = split(plan_for("all,!*/mips*").jobs, 4)
    b = split(plan_for("!*/mips*,all").jobs, 4)
    assert [[j.name for j in p] for p in a] == [[j.name for j in p] for p in b]
    assert shard_of(plan_for("all"), "2/4").jobs == split(plan_for("all").jobs, 4)[1]


def test_cgo_jobs_weigh_more() -> None:
    plan = plan_for("linux/amd64,linux/386,linux/arm,windows/386", cgo="host")
    heavy = [j for j in plan.jobs if j.cgo]
    assert [j.name for j in heavy] == ["linux/amd64 +cgo"]
    assert weight(heavy[0]) == 3
    parts = split(plan.jobs, 2)
    # heaviest first, each to the lightest shard: {3, 2} and {2, 2}
    assert sorted(sum(weight(j) for j in p) for p in parts) == [4, 5]
    assert any(heavy[0] in p and len(p) == 2 for p in parts)


def test_more_shards_than_jobs_leaves_empty_shards() -> None:
    parts = split(plan_for("linux/386").jobs, 3)
    assert [len(p) for p in parts] == [1, 0, 0]


@pytest.mark.parametrize("bad", ["0/3", "4/3", "1", "a/b", "1/0", "-1/2"])
def test_bad_shard(bad: str) -> None:
    with pytest.raises(UsageError):
        parse_shard(bad)


def test_parse_shard() -> None:
    assert parse_shard(" 2 / 5 ") == (2, 5)


def test_jobs_follow_selector_order_then_tag_sets() -> None:
    plan = plan_for("windows/386,linux/amd64,linux/386", tags=(("netgo",), ()))
    assert [j.name for j in plan.jobs] == [
        "windows/386 [netgo]", "windows/386", "linux/amd64 [netgo]", "linux/amd64",
        "linux/386 [netgo]", "linux/386"]
    assert plan.order == tuple(j.name for j in plan.jobs)
    assert all(isinstance(j, Job) for j in plan.jobs)


def test_fit_never_plans_more_shards_than_jobs() -> None:
    assert shards.fit(3, 8) == (3, "")
    assert shards.fit(8, 8) == (8, "")
    n, note = shards.fit(8, 3)
    assert n == 3 and note.startswith("--shards 8 asks for more shards than the plan has jobs (3)")
    assert shards.fit(4, 0)[0] == 1
