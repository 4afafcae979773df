"""bench/lint_bench.py reads both baseline formats and tells a merge from a difference."""

from __future__ import annotations

import json
from pathlib import Path

from bench.lint_bench import compare, parse_baseline


def test_both_baseline_formats_give_module_relative_findings(tmp_path: Path) -> None:
    analysis = json.dumps({"m/p": {"SA4006": [{"posn": f"{tmp_path}/p/a.go:3:4",
                                               "message": "x is never read"}]}}, indent=1)
    assert parse_baseline("# m/p\n" + analysis, "analysis", tmp_path) == {
        ("p/a.go", 3, 4, "x is never read", "SA4006")}
    line = json.dumps({"code": "SA6002", "severity": "error", "message": "pointer-like",
                       "location": {"file": f"{tmp_path}/tx.go", "line": 5, "column": 2}})
    assert parse_baseline(line, "staticcheck", tmp_path) == {
        ("tx.go", 5, 2, "pointer-like", "SA6002")}


def test_a_finding_missing_on_a_target_is_a_merge_only_under_rule_all() -> None:
    a = ("p.go", 1, 1, "m", "SA4006")
    other = ("p.go", 9, 1, "n", "SA1000")
    base = {"linux": {a, other}, "windows": {other}}
    ours = {"linux": {other}, "windows": {other}}
    assert compare(base, ours, {"SA4006": "all"}) == (2, [], [])
    common, only_base, only_ours = compare(base, ours, {"SA4006": "any"})
    assert (common, only_base, only_ours) == (2, ["linux: p.go:1:1: SA4006: m"], [])
