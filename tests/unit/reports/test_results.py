"""The versioned results JSON: round trip, derived fields, clear errors on bad files."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from checker.model import Diagnostic
from crossvet import outputs
from matrix.errors import UsageError
from matrix.ignores import IgnoreRule
from matrix.targets import Port
from reports import baseline, suppress
from reports.results import Baseline, Results, map_diagnostics
from tests.helpers.builders import overflow_results, target


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    res = overflow_results()
    path = str(tmp_path / "r.json")
    outputs.dump(res, path)
    data = json.loads(Path(path).read_text())
    assert data["schema"] == 2
    assert [t["id"] for t in data["targets"]] == ["linux/amd64", "linux/386", "linux/arm",
                                                   "windows/386"]
    assert [t["status"] for t in data["targets"]] == ["ok", "fail", "fail", "fail"]
    assert data["summary"] == {"targets": 4, "ok": 1, "fail": 3, "error": 0, "findings": 1,
                               "warnings": 0, "new": 1, "existing": 0, "fixed": 0,
                               "suppressed": 0, "unused_ignores": 0}
    (f,) = data["findings"]
    assert f["targets"] == ["linux/386", "linux/arm", "windows/386"]
    assert f["category"] == "overflow" and f["line"] == 14
    back = outputs.load(path)
    assert back == res


def test_round_trip_keeps_a_dependency_findings_origin(tmp_path: Path) -> None:
    dep = Diagnostic(target="linux/386", check="typecheck", category="overflow", file="go.mod",
                     line=6, message="example.com/dep@v0.1.0 span.go:6:31: x (overflows)",
                     dependency="example.com/dep@v0.1.0", origin="/w/dep/span.go:6:31")
    res = Results(targets=(target("linux/386", dep, checks=("typecheck",)),),
                  checks=("typecheck",))
    path = str(tmp_path / "r.json")
    outputs.dump(res, path)
    assert outputs.load(path) == res


def test_findings_in_the_file_are_recomputed_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    outputs.dump(overflow_results(), str(path))
    data = json.loads(path.read_text())
    data["findings"] = []
    path.write_text(json.dumps(data))
    assert len(outputs.load(str(path)).findings) == 1


def test_findings_are_derived_in_one_place_and_never_stale() -> None:
    """Every step (suppress, compare, a plain replace) makes a new Results whose findings follow
    from its diagnostics and baseline: there is no stored copy to forget to recompute."""
    res = overflow_results()
    with pytest.raises(TypeError):
        Results(targets=res.targets, checks=res.checks, findings=())  # type: ignore[call-arg]
    (f,) = res.findings
    assert f.baseline == "" and f.suppressed is None
    compared = replace(res, baseline=Baseline.of(res, "base.json"))  # no "recompute me" flag
    assert [x.baseline for x in compared.findings] == ["existing"]
    assert res.findings[0].baseline == ""  # the step made a new value; the old one is unchanged
    rule = IgnoreRule(by=".crossvet.yaml:3", reason="known",
                      categories=("overflow",), targets="linux/386")
    ports = [Port(goos=t.goos, goarch=t.goarch) for t in res.targets]
    marked = suppress.apply(compared, [rule], ports)
    kept, hidden = marked.findings
    assert kept.targets == ("linux/arm", "windows/386") and kept.baseline == "existing"
    assert hidden.targets == ("linux/386",) and hidden.suppressed is not None
    assert marked.summary["suppressed"] == 1 and compared.summary["suppressed"] == 0
    plain = baseline.for_file(marked)
    assert [x.baseline for x in plain.findings] == ["", ""]
    gone = map_diagnostics(res, lambda d: replace(d, severity="warning"))
    assert [x.severity for x in gone.findings] == ["warning"] and gone.summary["findings"] == 0


def test_error_status_wins() -> None:
    t = target("linux/386", error="go build timed out after 5s and was killed")
    assert t.status == "error"


@pytest.mark.parametrize(("content", "message"), [
    ("not json", "not JSON"),
    ('{"schema": 99}', "unsupported results schema 99"),
    ('{"schema": 1, "checks": []}', r"r.json: targets: missing"),
    ('{"schema": 1, "checks": [], "targets": [{"id": "a/b", "goos": "a", "goarch": "b", '
     '"checks": [{"check": "vet", "status": "maybe", "diagnostics": []}]}]}',
     r"targets\[0\].checks\[0\].status: expected one of ok, fail, error, got 'maybe'"),
    ('{"schema": 1, "checks": [], "targets": [{"id": "a/b", "goos": "a", "goarch": "b", '
     '"checks": [{"check": "vet", "status": "ok", "diagnostics": [{"message": "m", '
     '"category": "vet", "line": "x"}]}]}]}',
     r"targets\[0\].checks\[0\].diagnostics\[0\].line: expected an integer, got a string"),
    ('{"schema": 1, "checks": [], "targets": [], "findings": [{}, {}, {}, {"line": 1.5}]}',
     r"r.json: findings\[3\].line: expected an integer, got a number"),
    ('{"schema": 1, "checks": [], "targets": [{"id": "a/b", "goos": "a", "goarch": "b", '
     '"checks": [{"check": "vet", "status": "ok", "duration": NaN, "diagnostics": []}]}]}',
     r"targets\[0\].checks\[0\].duration: expected a number, got NaN$"),
    ('{"schema": 1, "checks": [], "targets": [{"id": "a/b", "goos": "a", "goarch": "b", '
     '"checks": [{"check": "vet", "status": "ok", "duration": -Infinity, "diagnostics": []}]}]}',
     r"duration: expected a number, got -Infinity$"),
    ('{"schema": 1, "checks": [], "targets": [{"id": "a/b", "goos": "a", "goarch": "b", '
     '"checks": [{"check": "vet", "status": "ok", "duration": -0.5, "diagnostics": []}]}]}',
     r"duration: expected a number of at least 0, got -0.5$"),
    ('{"schema": 1, "checks": [], "targets": [{"id": "a/b", "goos": "a", "goarch": "b", '
     '"checks": [{"check": "vet", "status": "fail", "diagnostics": [{"message": "m", '
     '"category": "vet", "line": -5}]}]}]}',
     r"diagnostics\[0\].line: expected an integer from 0 to 2147483647, got -5$"),
    ('{"schema": 1, "checks": [], "targets": [{"id": "a/b", "goos": "a", "goarch": "b", '
     '"checks": [{"check": "vet", "status": "fail", "diagnostics": [{"message": "m", '
     '"category": "vet", "line": 1, "col": 99999999999999999999}]}]}]}',
     r"diagnostics\[0\].col: expected an integer from 0 to 2147483647, got 9{20}$"),
    ('{"schema": 1, "checks": [], "targets": [], "findings": [{"line": 2147483648}]}',
     r"findings\[0\].line: expected an integer from 0 to 2147483647"),
    ('{"schema": 1, "checks": [], "targets": [{"id": "a/b", "goos": "a", "goarch": "b", '
     '"checks": []}, {"id": "c/d", "goos": "c", "goarch": "d", "checks": []}, '
     '{"id": "a/b", "goos": "a", "goarch": "b", "checks": []}]}',
     r"r.json: targets\[2\].id: 'a/b' is given twice \(also targets\[0\]\)$"),
    ('{"schema": 1, "checks": [], "targets": [], "ignores": [{"by": "x", "matched": -1}]}',
     r"ignores\[0\].matched: expected an integer of at least 0, got -1$"),
    ('{"schema": true, "checks": [], "targets": []}', "unsupported results schema True"),
    ('[' * 100_000, "not JSON"),
    ('{"schema": 1, "checks": "vet", "targets": []}', "checks: expected a list, got a string"),
    ('{"schema": 1, "checks": [], "targets": [], "findings": [{"baseline": "old"}]}',
     r"findings\[0\].baseline: expected one of new, existing, got 'old'"),
    ('{"schema": 1, "checks": [], "targets": [], "baseline": {"findings": [{"fingerprint": 7}]}}',
     r"baseline.findings\[0\].fingerprint: expected a string, got an integer"),
    ('{"schema": 1, "checks": [], "targets": [], "ignores": [{"by": "x", "matched": "1"}]}',
     r"ignores\[0\].matched: expected an integer, got a string"),
    ('{"schema": 1, "checks": [], "targets": [], "modules": [{"dir": "a"}]}',
     r"modules\[0\].path: missing"),
    ('{"schema": 1, "checks": [], "targets": [{"id": "a/b", "goos": "a", "goarch": "b", '
     '"checks": [{"check": "vet", "status": "ok", "diagnostics": [{"message": "m", '
     '"category": "vet", "suppressed": {"by": "a.go:1"}}]}]}]}',
     r"diagnostics\[0\].suppressed.reason: missing"),
])
def test_bad_files_are_usage_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "r.json"
    path.write_text(content)
    with pytest.raises(UsageError, match=message):
        outputs.load(str(path))


def test_non_utf8_file_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_bytes(b'{"schema": 1, "go": "\xff"}')
    with pytest.raises(UsageError, match=r"not UTF-8 text \(byte 0xff at offset 21\)"):
        outputs.load(str(path))


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read"):
        outputs.load(str(tmp_path / "nope.json"))
