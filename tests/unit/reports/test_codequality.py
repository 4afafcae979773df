"""GitLab Code Quality (reports/codequality.py)."""

from __future__ import annotations

import json
from dataclasses import replace

from checker.model import CheckResult, Diagnostic, Suppressed
from reports import codequality
from reports.results import Results, TargetResult


def _results(*diags: Diagnostic) -> Results:
    targets = []
    for tid in ("linux/amd64", "linux/386"):
        goos, goarch = tid.split("/")
        mine = tuple(replace(d, target=tid) for d in diags if d.target in ("", tid))
        targets.append(TargetResult(id=tid, goos=goos, goarch=goarch, checks=(
            CheckResult(target=tid, check="typecheck", status="fail" if mine else "ok",
                        diagnostics=mine),)))
    return Results(targets=tuple(targets), checks=("typecheck",))


def _d(**kw: object) -> Diagnostic:
    d = Diagnostic(target="linux/386", check="typecheck", category="overflow", file="a/x.go",
                   line=7, col=3, message="cannot use 1 << 40 (untyped int constant) as int value")
    return replace(d, **kw)  # type: ignore[arg-type]


def test_each_unsuppressed_finding_is_one_issue_at_its_file_and_line() -> None:
    res = _results(_d(), _d(line=9), _d(target="", category="vet", analyzer="printf",
                                       severity="warning", line=2, message="bad format"),
                   _d(line=20, suppressed=Suppressed(by="a/x.go:19", reason="r")))
    issues = json.loads(codequality.render(res, prefix="svc"))
    assert [(i["check_name"], i["severity"], i["location"]) for i in issues] == [
        ("crossvet/overflow", "major", {"path": "svc/a/x.go", "lines": {"begin": 7}}),
        ("crossvet/overflow", "major", {"path": "svc/a/x.go", "lines": {"begin": 9}}),
        ("crossvet/vet/printf", "minor", {"path": "svc/a/x.go", "lines": {"begin": 2}}),
    ]
    assert issues[0]["description"].endswith("(breaks on linux/386)")
    assert issues[2]["description"] == "bad format (reported on linux/amd64, linux/386)"
    # GitLab shows one issue per fingerprint: the same message at two lines is two issues
    assert len({i["fingerprint"] for i in issues}) == 3


def test_a_problem_without_a_file_is_placed_on_the_modules_go_mod() -> None:
    issues = json.loads(codequality.render(_results(_d(file="", line=0, col=0,
                                                       category="other", message="no go"))))
    assert issues[0]["location"] == {"path": "go.mod", "lines": {"begin": 1}}
    assert json.loads(codequality.render(_results())) == []
