"""`crossvet plan`, `crossvet init` and config errors through the CLI, with the real toolchain."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from checker import probe
from checker.local import LocalBackend
from checker.proc import ProcessGroup
from checker.toolchain import find
from tests.conftest import CliRunner, fixture


def test_all_minus_mips_is_the_toolchains_list_minus_mips(cli: CliRunner,
                                                          go_env: dict[str, str]) -> None:
    res = cli("plan", fixture("clean"), "--targets", "all,!*/mips*", "--format", "json")
    assert res.code == 0, res.err
    plan = json.loads(res.out)
    listed = subprocess.run(["go", "tool", "dist", "list"], env=go_env, capture_output=True,
                            text=True, check=True).stdout.split()
    expected = [p for p in listed if not p.split("/")[1].startswith("mips")]
    assert sorted(j["target"] for j in plan["jobs"]) == sorted(expected)
    assert len(expected) < len(listed)
    assert all(j["checks"] == ["typecheck", "vet"] and j["cgo"] is False for j in plan["jobs"])


def test_default_table(cli: CliRunner) -> None:
    res = cli("plan", fixture("clean"))
    assert res.code == 0, res.err
    assert "crossvet plan: 8 jobs" in res.out
    for tid in ("linux/386", "windows/amd64", "darwin/arm64"):
        assert tid in res.out
    # Columns empty for every job (variant, tags, cgo off, merges) are left out; the default
    # (the claimed preset) says why each target is in.
    assert res.out.splitlines()[2].split() == ["target", "checks", "why"]
    assert "linux/386      typecheck,vet  first-class, 32-bit" in res.out


def test_more_shards_than_jobs_plans_one_job_per_shard_and_says_so(cli: CliRunner) -> None:
    res = cli("plan", fixture("clean"), "--targets", "linux/amd64,linux/386", "--shards", "5",
              "--format", "json")
    plan = json.loads(res.out)
    assert (plan["shards"], sorted(j["shard"] for j in plan["jobs"])) == (2, ["1/2", "2/2"])
    assert plan["notes"] == ["--shards 5 asks for more shards than the plan has jobs (2): "
                             "planning 2 shards"]
    empty = cli("check", fixture("clean"), "--targets", "linux/amd64,linux/386",
                "--shard", "5/5")
    assert empty.code == 0
    assert "crossvet: shard 5/5 has no jobs: the plan has only 2" in empty.out


def test_table_says_what_was_merged_and_why(cli: CliRunner) -> None:
    res = cli("plan", fixture("tagsets"), "--targets", "linux/*,*/386,linux/arm/v7",
              "--tags", ";crossvet_unused", "--shards", "2")
    assert res.code == 0, res.err
    assert "linux/386 is chosen by 'linux/*', '*/386': checked once" in res.out
    assert "linux/arm/v7 runs as linux/arm: v7 is this toolchain's default" in res.out
    assert "linux/386 [crossvet_unused] runs as linux/386: go list selects the same files" \
        in res.out
    assert "default variant" in res.out and "same files (go list)" in res.out
    assert "1/2" in res.out and "2/2" in res.out


def test_github_matrix(cli: CliRunner) -> None:
    res = cli("plan", fixture("clean"), "--targets", "linux/386,linux/amd64,windows/386",
              "--format", "github-matrix")
    assert res.code == 0, res.err
    include = json.loads(res.out)["include"]
    assert [e["name"] for e in include] == ["linux-386", "linux-amd64", "windows-386"]
    assert [e["shard"] for e in include] == ["1/3", "2/3", "3/3"]
    res = cli("plan", fixture("clean"), "--targets", "all", "--format", "github-matrix",
              "--shards", "4")
    include = json.loads(res.out)["include"]
    assert [e["name"] for e in include] == [f"shard-{i}-of-4" for i in range(1, 5)]
    assert sum(len(e["jobs"].split()) for e in include) == len(
        json.loads(cli("plan", fixture("clean"), "--targets", "all", "--format",
                       "json").out)["jobs"])
    res = cli("plan", fixture("clean"), "--format", "github-matrix", "--shards", "257")
    assert res.code == 2 and "256" in res.err


def test_release_preset_from_goreleaser_file(cli: CliRunner) -> None:
    res = cli("plan", fixture("tagsets"), "--targets", "release", "--format", "json")
    assert res.code == 0, res.err
    got = {j["target"] for j in json.loads(res.out)["jobs"]}
    assert got == {"linux/amd64/v1", "linux/arm/v6", "linux/arm64/v8.0", "linux/386/sse2",
                   "windows/amd64/v1", "windows/arm64/v8.0", "windows/386/sse2",
                   "darwin/amd64/v1", "darwin/arm64/v8.0"}
    res = cli("plan", fixture("clean"), "--targets", "release")
    assert res.code == 2 and "needs a .goreleaser.yaml" in res.err


def _module(tmp_path: Path) -> Path:
    shutil.copy(Path(fixture("clean")) / "go.mod", tmp_path / "go.mod")
    shutil.copy(Path(fixture("clean")) / "clean.go", tmp_path / "clean.go")
    return tmp_path


def test_typo_in_config_exits_2_naming_line_and_key(cli: CliRunner, tmp_path: Path) -> None:
    mod = _module(tmp_path)
    (mod / ".crossvet.yaml").write_text("checks: [vet]\n# the targets:\ntagets: 32bit\n")
    for command in ("plan", "check"):
        res = cli(command, str(mod))
        assert res.code == 2
        assert ".crossvet.yaml:3: unknown key 'tagets' (did you mean 'targets'?)" in res.err


def test_bad_selector_in_config_names_file_and_line(cli: CliRunner, tmp_path: Path) -> None:
    mod = _module(tmp_path)
    (mod / ".crossvet.yaml").write_text("checks: [vet]\ntargets:\n  - linx/386\n")
    res = cli("plan", str(mod))
    assert res.code == 2
    assert res.err.startswith("crossvet: error: ") and \
        f"{mod}/.crossvet.yaml:2: unknown target(s):" in res.err
    assert "linx/386 (did you mean linux/386" in res.err
    res = cli("plan", str(mod), env={"CROSSVET_TARGETS": "linux/*", "CROSSVET_CGO": "bsd/*"})
    assert res.code == 2 and res.err.startswith("crossvet: error: CROSSVET_CGO: no target")
    (mod / ".crossvet.yaml").write_text("checks: [vet, buidl]\n")
    res = cli("check", str(mod))
    assert res.code == 2 and "(did you mean 'build'?)" in res.err


def test_config_file_env_and_flags(cli: CliRunner, tmp_path: Path) -> None:
    mod = _module(tmp_path)
    (mod / ".crossvet.yaml").write_text("targets: linux/386\ntags: [[], [netgo]]\n")
    res = cli("plan", str(mod), "--format", "json")
    plan = json.loads(res.out)
    # the module does not import net, so netgo changes no file: one job, two names
    assert [(j["name"], j["aliases"]) for j in plan["jobs"]] == [
        ("linux/386", ["linux/386 [netgo]"])]
    assert plan["merged"] == [{"name": "linux/386 [netgo]", "runs_as": "linux/386"}]
    res = cli("plan", str(mod), "--format", "json", env={"CROSSVET_TARGETS": "windows/386"})
    assert {j["target"] for j in json.loads(res.out)["jobs"]} == {"windows/386"}
    res = cli("plan", str(mod), "--format", "json", "--targets", "linux/arm",
              env={"CROSSVET_TARGETS": "windows/386"})
    assert {j["target"] for j in json.loads(res.out)["jobs"]} == {"linux/arm"}
    res = cli("plan", str(mod), env={"CROSSVET_JOBS": "many"})
    assert res.code == 2 and "CROSSVET_JOBS: jobs should be a whole number" in res.err


def test_init_writes_a_commented_config_that_plan_reads(cli: CliRunner, tmp_path: Path) -> None:
    mod = _module(tmp_path)
    before = cli("plan", str(mod), "--format", "json")
    assert before.code == 0, before.err
    res = cli("init", str(mod))
    assert res.code == 0, res.err
    text = (mod / ".crossvet.yaml").read_text()
    assert text.count("#") > 10 and "targets:" in text
    assert cli("init", str(mod)).code == 2
    res = cli("init", str(mod / "missing-dir"))
    assert res.code == 2 and "cannot write" in res.err
    assert cli("init", str(mod), "--force").code == 0
    res = cli("plan", str(mod), "--format", "json")
    assert res.code == 0, res.err
    assert json.loads(res.out) == json.loads(before.out)  # the file changes nothing until edited
    # the example of `targets:` uncommented: linux/386 and windows/*
    (mod / ".crossvet.yaml").write_text(re.sub(r"^# (targets: .*)$", r"\1", text, flags=re.M))
    res = cli("plan", str(mod), "--format", "json")
    targets = {j["target"] for j in json.loads(res.out)["jobs"]}
    assert {"linux/386", "windows/amd64"} <= targets
    assert all(t == "linux/386" or t.startswith("windows/") for t in targets), targets


@pytest.mark.parametrize(("args", "message"), [
    (("--targets", "linx/386"), "did you mean linux/386"),
    (("--shards", "-1"), "--shards"),
    (("--cgo", "plan9/*", "--targets", "plan9/386"), ""),
])
def test_plan_usage_errors(cli: CliRunner, args: tuple[str, ...], message: str) -> None:
    res = cli("plan", fixture("clean"), *args)
    if not message:  # cgo on a port without cgo: a note, not an error
        assert res.code == 0 and "does not support cgo" in res.out
        return
    assert res.code == 2 and message in res.err


def test_ports_are_cached_per_go_version(go_env: dict[str, str], tmp_path: Path) -> None:
    tc = find(go_env)
    backend = LocalBackend(toolchain=tc, module_dir=str(tmp_path), env=go_env,
                           group=ProcessGroup(), cache_dir=str(tmp_path))
    first = probe.ports(backend, str(tmp_path))
    path = Path(probe.ports_cache_path(str(tmp_path), tc.version_text))
    assert path.name == f"dist-list-{tc.version_text}.json" and path.parent == tmp_path
    assert json.loads(path.read_text())[0]["GOOS"] == first[0].goos
    path.write_text('[{"GOOS": "linux", "GOARCH": "386", "FirstClass": true}]')
    assert [p.id for p in probe.ports(backend, str(tmp_path))] == ["linux/386"]  # from the cache
    path.write_text("garbage")
    assert probe.ports(backend, str(tmp_path)) == first  # a corrupt cache is rebuilt
    assert json.loads(path.read_text())


def test_category_typo_in_config_is_refused_before_any_go_runs(
        cli: CliRunner, go_env: dict[str, str], tmp_path: Path) -> None:
    """An `ignore:` entry's category is checked with the config, not after every target ran."""
    (tmp_path / "mod").mkdir()
    mod = _module(tmp_path / "mod")
    (mod / ".crossvet.yaml").write_text("ignore:\n  - category: overflw\n    reason: reviewed\n")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    ran = tmp_path / "go-ran"
    real = shutil.which("go", path=go_env["PATH"])
    (bin_dir / "go").write_text(f'#!/bin/sh\ntouch "{ran}"\nexec "{real}" "$@"\n')
    (bin_dir / "go").chmod(0o755)
    res = cli("check", str(mod), "--targets", "linux/amd64",
              env={"PATH": f"{bin_dir}{os.pathsep}{go_env['PATH']}"})
    assert res.code == 2, res
    assert (".crossvet.yaml:2: ignore entry 1: unknown category 'overflw' "
            "(did you mean 'overflow'?)") in res.err
    assert not ran.exists()


def test_category_typo_in_an_inline_comment_is_refused_before_any_target_runs(
        cli: CliRunner, tmp_path: Path) -> None:
    mod = _module(tmp_path)
    src = (mod / "clean.go").read_text()
    (mod / "clean.go").write_text(src + "\n//crossvet:ignore overflw 32bit -- reviewed\n")
    line = src.count("\n") + 2
    res = cli("check", str(mod), "--targets", "linux/amd64")
    assert res.code == 2, res
    assert (f"clean.go:{line}: unknown category 'overflw' (did you mean 'overflow'?)"
            in res.err)
    assert "[1/1]" not in res.out and "linux/amd64" not in res.out
