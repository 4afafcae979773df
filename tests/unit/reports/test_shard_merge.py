"""Sharded-then-merged results equal the unsharded run; merge refuses gaps and repeats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crossvet.outputs import dump, load
from reports.merge import merge
from reports.results import Results, TargetResult
from tests.conftest import CliRunner, fixture

# Four small GOARCH/GOOS pairs, two tag sets: the unused tag selects the same files, so its
# jobs merge into the plain ones and are reported under both names.
ARGS = ("--targets", "linux/amd64,linux/386,linux/arm,windows/386", "--tags",
        ";crossvet_unused", "--jobs", "2")


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    for t in data["targets"]:
        for c in t["checks"]:
            c.pop("duration")
    data.pop("shard")
    data.pop("plan", None)
    return data


def test_sharded_then_merged_equals_unsharded(cli: CliRunner, tmp_path: Path) -> None:
    whole = tmp_path / "whole.json"
    res = cli("check", fixture("tagsets"), *ARGS, "--json", str(whole))
    assert res.code == 1, res.out + res.err  # MaxParts overflows int on 386 and arm
    assert "crossvet: linux/386 [crossvet_unused] runs as linux/386: go list selects" in res.out
    data = json.loads(whole.read_text())
    ids = [t["id"] for t in data["targets"]]
    assert ids == ["linux/amd64", "linux/amd64 [crossvet_unused]", "linux/386",
                   "linux/386 [crossvet_unused]", "linux/arm", "linux/arm [crossvet_unused]",
                   "windows/386", "windows/386 [crossvet_unused]"]
    overflow = [f for f in data["findings"] if f["category"] == "overflow"]
    assert overflow and overflow[0]["targets"] == [
        "linux/386", "linux/386 [crossvet_unused]", "linux/arm", "linux/arm [crossvet_unused]",
        "windows/386", "windows/386 [crossvet_unused]"]
    alias = next(t for t in data["targets"] if t["id"] == "linux/386 [crossvet_unused]")
    assert alias["aliases"] == ["linux/386"] and alias["tags"] == ["crossvet_unused"]
    assert all(d for c in alias["checks"] for d in [c["diagnostics"]] if c["check"] == "build")

    parts = []
    for i in (1, 2, 3):
        part = tmp_path / f"shard{i}.json"
        res = cli("check", fixture("tagsets"), *ARGS, "--shard", f"{i}/3", "--json", str(part))
        assert res.code in (0, 1), res.err
        shard = json.loads(part.read_text())
        assert shard["shard"] == f"{i}/3" and shard["plan"] == ids
        parts.append(str(part))
    merged = tmp_path / "merged.json"
    res = cli("merge", parts[2], parts[0], parts[1], "--json", str(merged),
              "--markdown", str(tmp_path / "m.md"))
    assert res.code == 1, res.err
    assert _comparable(json.loads(merged.read_text())) == _comparable(data)
    res = cli("report", str(merged), "--junit", str(tmp_path / "j.xml"))
    assert res.code == 1 and "linux/386 [crossvet_unused]" in res.out

    # a missing or repeated shard is an error, not a silent gap
    res = cli("merge", parts[0], parts[2], "--json", str(tmp_path / "x.json"))
    assert res.code == 2 and "missing shard 2/3" in res.err
    res = cli("merge", parts[0], parts[1], parts[1], parts[2])
    assert res.code == 2 and "shard 2/3 given twice" in res.err
    res = cli("merge", str(whole), parts[0])
    assert res.code == 2 and "written without --shard" in res.err


def _results(shard: str, *ids: str, go: str = "go1.27.3",
             plan: tuple[str, ...] = (), checks: tuple[str, ...] = ("vet",)) -> Results:
    targets = tuple(TargetResult(id=i, goos=i.split("/")[0], goarch=i.split("/")[1])
                    for i in ids)
    return Results(targets=targets, checks=checks if ids else (), go=go, module="m",
                   shard=shard, plan_order=plan)


PLAN = ("linux/386", "linux/arm")


@pytest.mark.parametrize(("parts", "message"), [
    ([], "no results files"),
    ([("a", _results("1/2", "linux/386"))], "missing shard 2/2"),
    ([("a", _results("1/2", "linux/386")), ("b", _results("1/3", "linux/arm"))],
     r"^b and a are not shards of one plan: split differ \(into 3 vs into 2\)$"),
    ([("a", _results("1/2", "linux/386")), ("b", _results("2/2", "linux/386"))],
     "in two shards"),
    ([("a", _results("1/2", "linux/386")), ("b", _results("2/2", "linux/arm", go="go1.22"))],
     r"not shards of one plan: Go differ \(go1.22 vs go1.27.3\)"),
    ([("a", _results("1/2", "linux/386", plan=PLAN)),
      ("b", _results("2/2", "linux/arm", plan=PLAN, checks=("vet", "build")))],
     r"^b and a are not shards of one plan: checks differ \(vet,build vs vet\)$"),
    # an empty first shard ran no check: the others are compared with each other
    ([("e", _results("1/3", plan=PLAN)), ("a", _results("2/3", "linux/386", plan=PLAN)),
      ("b", _results("3/3", "linux/arm", plan=PLAN, checks=("build",)))],
     r"^b and a are not shards of one plan: checks differ \(build vs vet\)$"),
    # the same index of two different plans is not "given twice"
    ([("a", _results("1/2", "linux/386", plan=PLAN)),
      ("b", _results("1/2", "linux/386 [netgo]", plan=("linux/386 [netgo]", "linux/arm")))],
     r"^b and a are not shards of one plan: targets and tags differ \(#1 linux/386 \[netgo\] "
     r"vs #1 linux/386\)$"),
    ([("a", _results("1/2", "linux/386", plan=PLAN)), ("a", _results("1/2", "linux/386",
                                                                     plan=PLAN))],
     r"^shard 1/2 given twice: a and a$"),
    ([("a", _results("1/2", "linux/386", plan=PLAN)), ("b", _results("2/2", plan=PLAN))],
     "no results for linux/arm"),
    ([("a", _results("1/2", "linux/386", plan=PLAN)),
      ("b", _results("2/2", "linux/arm", plan=(*PLAN, "x/y")))],
     r"not shards of one plan: targets and tags differ \(#3 x/y vs 2 targets\)"),
])
def test_merge_errors(parts: list[tuple[str, Results]], message: str) -> None:
    with pytest.raises(Exception, match=message) as info:
        merge(parts)
    assert getattr(info.value, "exit_code", None) == 2


def test_merge_orders_targets_by_plan_and_keeps_empty_shards(tmp_path: Path) -> None:
    plan = ("windows/386", "linux/arm", "darwin/arm64", "linux/386")
    out = merge([("b", _results("2/3", "linux/386", "windows/386", plan=plan)),
                 ("a", _results("1/3", "linux/arm", "darwin/arm64", plan=plan)),
                 ("c", _results("3/3", plan=plan))])
    assert tuple(t.id for t in out.targets) == plan
    assert out.shard == "" and out.checks == ("vet",)
    path = tmp_path / "r.json"
    dump(out, str(path))
    assert load(str(path)).targets == out.targets
