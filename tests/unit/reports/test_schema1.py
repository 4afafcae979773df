"""Results files of schema 1 (tests/fixtures/results-schema1, written by the last crossvet of
schema 1) read as schema 2: a run of one module as it was, a run of several with its targets,
findings, baseline and suppressions named by target id and module."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crossvet import outputs
from reports import terminal
from reports.merge import merge
from reports.results import Results, from_text, to_json, to_text
from tests.conftest import CliRunner

OLD = Path(__file__).parents[2] / "fixtures" / "results-schema1"
TARGETS = ("linux/amd64", "linux/386", "windows/386")
BIG = ("overflow", "lib/big.go", 4)


def load(name: str) -> Results:
    return outputs.load(str(OLD / name))


def raw(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((OLD / name).read_text())
    assert data["schema"] == 1
    return data


def test_a_run_of_one_module_reads_as_it_was() -> None:
    old, res = raw("one.json"), load("one.json")
    assert [t.id for t in res.targets] == list(TARGETS) and {t.module for t in res.targets} == {""}
    data = to_json(res)
    assert data["schema"] == 2
    for key in ("findings", "summary", "ignores", "baseline"):
        assert data[key] == old[key], key
    assert [t["id"] for t in data["targets"]] == [t["id"] for t in old["targets"]]
    (f,) = res.findings
    assert f.targets == ("linux/386", "windows/386") and f.baseline == "existing"


def test_a_run_of_several_modules_names_targets_by_id_and_module() -> None:
    old, res = raw("several.json"), load("several.json")
    assert [t["id"] for t in old["targets"]][:2] == ["app:linux/amd64", "app:linux/386"]
    assert [(t.module, t.id) for t in res.targets] == [
        (m, t) for m in ("app", "calc", "lib") for t in TARGETS]
    # lib/big.go breaks app's and lib's builds: a finding of each module, on its own targets,
    # both in the baseline (its schema 1 entry named the targets of both)
    assert [(f.module, f.category, f.file, f.line, f.targets, f.baseline, f.counts)
            for f in res.findings] == [
        ("app", *BIG, ("linux/386", "windows/386"), "existing", True),
        ("lib", *BIG, ("linux/386", "windows/386"), "existing", True),
        ("calc", "overflow", "calc/calc.go", 8, ("linux/386", "windows/386"), "existing",
         False)]
    assert res.baseline is not None
    assert [(e.module, e.location, e.targets) for e in res.baseline.entries] == [
        ("app", "lib/big.go:4:15", ("linux/386", "windows/386")),
        ("lib", "lib/big.go:4:15", ("linux/386", "windows/386")),
        ("calc", "calc/calc.go:8:17", ("linux/386", "windows/386"))]
    assert res.fixed == ()
    assert [(u.module, u.by, u.targets, u.matched) for u in res.ignores] == [
        ("calc", "calc/.crossvet.yaml:2", TARGETS, 2), ("lib", "lib/.crossvet.yaml:2", TARGETS, 0)]
    assert [u.by for u in res.unused_ignores] == ["lib/.crossvet.yaml:2"]
    assert res.summary == {**old["summary"], "findings": 2, "existing": 2}
    # per target, what breaks it is what it was
    assert [res.problems(t) for t in res.targets] == [
        int(t["status"] == "fail") for t in old["targets"]]
    # written again it is schema 2, and reads back the same
    again = from_text(to_text(res))
    assert again == res and again.findings == res.findings


def test_the_terminal_report_of_an_old_file_names_each_finding_s_module() -> None:
    text = terminal.summary(load("several.json"))
    assert "\n    app: [overflow] lib/big.go:4:15: cannot use 1 << 40" in text
    assert "\n    lib: [overflow] lib/big.go:4:15: cannot use 1 << 40" in text
    assert "\n    calc: [overflow] calc/calc.go:8:17: cannot use big" in text
    assert "(overflows) (on linux/386, windows/386)\n" in text
    assert "lib/.crossvet.yaml:2 (vet/printf): it matched nothing on 3 targets" in text
    assert ":linux/" not in text and ":windows/" not in text  # no module:target names


def test_shards_of_schema_1_merge() -> None:
    parts = [(n, load(n)) for n in ("shard2.json", "shard1.json")]
    joined, whole = merge(parts), load("several.json")
    assert [(t.module, t.id) for t in joined.targets] == [(t.module, t.id) for t in whole.targets]
    assert joined.findings == whole.findings and joined.summary == whole.summary
    assert joined.ignores == whole.ignores


def test_report_and_merge_read_schema_1_and_write_schema_2(cli: CliRunner, tmp_path: Path
                                                           ) -> None:
    out = tmp_path / "again.json"
    res = cli("report", str(OLD / "several.json"), "--json", str(out),
              "--markdown", str(tmp_path / "r.md"), "--fail-on", "findings")
    assert res.code == 1, res.err  # two findings (existing), failing on any finding
    again = json.loads(out.read_text())
    assert again["schema"] == 2 and again["summary"] == to_json(load("several.json"))["summary"]
    assert [(f["module"], f["targets"]) for f in again["findings"]][:2] == [
        ("app", ["linux/386", "windows/386"]), ("lib", ["linux/386", "windows/386"])]
    md = (tmp_path / "r.md").read_text()
    assert "breaks on: `linux/386`, `windows/386` (module `app`)" in md
    res = cli("report", str(OLD / "one.json"))
    assert res.code == 0, res.err  # its one finding is in the baseline
    merged = tmp_path / "merged.json"
    res = cli("merge", str(OLD / "shard1.json"), str(OLD / "shard2.json"), "--json", str(merged))
    assert res.code == 0, res.err
    joined = json.loads(merged.read_text())
    assert {k: v for k, v in joined.items() if k not in ("targets", "tool")} == \
        {k: v for k, v in again.items() if k not in ("targets", "tool")}
    assert [(t["module"], t["id"]) for t in joined["targets"]] == \
        [(t["module"], t["id"]) for t in again["targets"]]
