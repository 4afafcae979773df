"""The sharded workflow's commands (examples/workflows/crossvet-sharded.yml), in order: plan as
a GitHub matrix, quiet shard checks, merge, then one report with annotations, summary, SARIF."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.conftest import ROOT, CliRunner, fixture
from tests.unit.reports.test_sarif import assert_uploadable

TARGETS = "linux/amd64,linux/386,windows/386"


def test_plan_shards_merge_report(cli: CliRunner, tmp_path: Path) -> None:
    mod = fixture("overflow")
    r = cli("plan", mod, "--targets", TARGETS, "--shards", "2", "--format", "github-matrix")
    assert r.code == 0, r.err
    matrix = json.loads(r.out)
    shards = [entry["shard"] for entry in matrix["include"]]
    assert shards == ["1/2", "2/2"]

    gh = {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(ROOT)}
    parts = []
    for shard in shards:
        part = tmp_path / f"results-{shard.replace('/', '-of-')}.json"
        r = cli("check", mod, "--targets", TARGETS, "--shard", shard, "--json", str(part),
                env={**gh, "CROSSVET_ANNOTATE": "0"})
        assert r.code in (0, 1), r.err
        assert "::error" not in r.out and "::remove-matcher" not in r.out
        parts.append(str(part))

    merged = tmp_path / "crossvet-results.json"
    r = cli("merge", *parts, "--json", str(merged))
    assert r.code == 1, r.err

    summary = tmp_path / "summary.md"
    summary.touch()
    sarif_file = tmp_path / "crossvet.sarif"
    r = cli("report", str(merged), "--sarif", str(sarif_file), "--module-dir", mod,
            env={**gh, "GITHUB_STEP_SUMMARY": str(summary)})
    assert r.code == 1
    errors = [x for x in r.out.splitlines() if x.startswith("::error")]
    assert len(errors) == 1  # one finding, whichever shards found it
    assert errors[0].startswith("::error file=tests/fixtures/overflow/s3/minio.go,line=14,")
    assert "Breaks on: linux/386, windows/386" in errors[0]
    assert "❌ crossvet: 1 problem on 2 of 3 targets" in summary.read_text()
    log = json.loads(sarif_file.read_text())
    assert_uploadable(log)
    assert log["runs"][0]["results"][0]["properties"]["targets"] == ["linux/386", "windows/386"]


def test_the_example_workflow_runs_these_commands() -> None:
    wf = yaml.safe_load((ROOT / "examples/workflows/crossvet-sharded.yml").read_text())
    runs = "\n".join(s.get("run", "") for job in wf["jobs"].values() for s in job["steps"])
    for command in ("crossvet plan . --shards", "--format github-matrix",
                    'crossvet check . --shard "$SHARD" --json', "crossvet merge shards/*.json",
                    "crossvet report crossvet-results.json --sarif",
                    "crossvet comment crossvet-results.json"):
        assert command in runs, command
    check_env = next(s["env"] for s in wf["jobs"]["check"]["steps"] if "env" in s)
    assert check_env["CROSSVET_ANNOTATE"] == "0"
