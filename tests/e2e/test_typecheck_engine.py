"""The engine against real fixtures: narrowing, sharing across targets, the result cache, cgo."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bench.genmodule import generate
from checker import engine_build, toolchain, typecheck
from checker.model import CheckResult
from tests.conftest import fixture
from tests.helpers.typecheck_helpers import build_engine, engine_cache_dir, jobs_for, keys, run

FOUR = ["linux/amd64", "linux/386", "linux/arm", "linux/arm64"]


@pytest.fixture(scope="session")
def engine(go_env: dict[str, str]) -> str:
    return build_engine(go_env)


def _narrowing(results: dict[str, CheckResult], target: str,
               file: str = "narrow.go") -> set[tuple[int, str]]:
    return {(d.line, d.message.split(":")[0]) for d in results[target].diagnostics
            if d.category == "narrowing" and d.file == file}


def test_narrowing_found_on_32_bit_targets_only(engine: str, go_env: dict[str, str]) -> None:
    _, results = run(engine, go_env, fixture("tc_narrowing"), jobs_for(FOUR))
    expected = {
        (8, "narrowing conversion int(n)"),  # int64 -> int
        (10, "narrowing conversion uint(u)"),  # uint64 -> uint
        (11, "narrowing conversion uintptr(v)"),  # int64 -> uintptr
        (12, "narrowing conversion Count(n)"),  # int64 -> named int
        (13, "narrowing conversion uint(n)"),  # int64 -> uint
    }
    for target in ("linux/386", "linux/arm"):
        found = _narrowing(results, target)
        assert found == expected
        assert results[target].status == "ok"  # warnings by default
        test_file = [d for d in results[target].diagnostics if d.file == "narrow_test.go"]
        assert [(d.line, d.col) for d in test_file] == [(7, 5)]
    for target in ("linux/amd64", "linux/arm64"):
        assert _narrowing(results, target) == set()
    d = next(d for d in results["linux/386"].diagnostics if d.line == 8)
    assert (d.file, d.col, d.severity) == ("narrow.go", 43, "warning")
    assert "int64 to int" in d.message and "math.MaxInt32" in d.message
    # guarded.go's conversions are known to fit; zz_generated.go is generated
    assert {d.file for d in results["linux/386"].diagnostics} == {"narrow.go", "narrow_test.go"}
    # uint32 -> int (only the sign bit is lost) is reported at level all
    _, results = run(engine, go_env, fixture("tc_narrowing"), jobs_for(FOUR),
                     narrowing_level="all")
    assert _narrowing(results, "linux/386") == {*expected, (9, "narrowing conversion int(u)")}


def test_sharing_is_exact(engine: str, go_env: dict[str, str]) -> None:
    """Checking the targets together (sharing entries) equals checking each one alone."""
    module = fixture("tc_arch")
    ids = ["linux/amd64", "linux/386", "windows/386", "linux/arm", "windows/amd64"]
    shared_data, shared = run(engine, go_env, module, jobs_for(ids))
    apart_data, apart = run(engine, go_env, module, jobs_for(ids), share=False)
    stats, apart_stats = shared_data["stats"], apart_data["stats"]
    assert stats["entries"] < stats["nodes"]  # something was shared...
    assert apart_stats["entries"] == apart_stats["nodes"]  # ...and nothing here
    for target in ids:
        _, alone = run(engine, go_env, module, jobs_for([target]))
        assert keys(shared[target]) == keys(apart[target]) == keys(alone[target]), target
    assert any(keys(shared[t]) != keys(shared["linux/amd64"]) for t in ids)


def test_result_cache_hits_and_invalidates(engine: str, go_env: dict[str, str],
                                           tmp_path: Path) -> None:
    module = tmp_path / "m"
    shutil.copytree(fixture("uint32const"), module)
    cache = str(tmp_path / "cache")
    jobs = jobs_for(["linux/amd64", "linux/386"])
    first, r1 = run(engine, go_env, str(module), jobs, cache_dir=cache)
    assert first["stats"]["cache_hits"] == 0 and first["stats"]["checked"] > 0
    assert len(r1["linux/386"].diagnostics) == 1 and r1["linux/amd64"].diagnostics == ()
    # Nothing changed: the run cache answers without listing or checking anything.
    second, r2 = run(engine, go_env, str(module), jobs, cache_dir=cache)
    assert second["stats"]["run_cache_hit"] and second["stats"]["checked"] == 0
    assert all(t["cached"] for t in second["targets"])
    assert {k: keys(v) for k, v in r1.items()} == {k: keys(v) for k, v in r2.items()}
    # A new package: the run key changes, the unchanged package comes from the entry cache.
    (module / "other").mkdir()
    (module / "other" / "other.go").write_text("package other\n\nvar X = 1\n")
    third, r3 = run(engine, go_env, str(module), jobs, cache_dir=cache)
    assert not third["stats"]["run_cache_hit"]
    assert third["stats"]["cache_hits"] == 2 and third["stats"]["checked_full"] == 2
    assert keys(r3["linux/386"]) == keys(r1["linux/386"])
    # The package changed: checked again, and the finding is gone.
    (module / "limits.go").write_text("package limits\n\nvar MaxCount int64 = 1 << 32\n")
    fourth, r4 = run(engine, go_env, str(module), jobs, cache_dir=cache)
    assert fourth["stats"]["checked_full"] == 2 and fourth["stats"]["cache_hits"] == 2
    assert r4["linux/386"].diagnostics == ()


def test_cgo_files_with_cgo_on_use_a_fake_C(engine: str, go_env: dict[str, str]) -> None:
    """With cgo on, native.go is checked with a fake `import "C"`: no crash, no false error,
    and the answer says which packages were checked so, for the note crossvet prints."""
    data, on = run(engine, go_env, fixture("tc_cgo"), jobs_for(["linux/amd64", "linux/386"],
                                                               cgo=True), check="vet")
    for name, result in on.items():
        assert result.status == "ok", (name, result.diagnostics, result.error)
    assert [t.get("cgo_faked") for t in data["targets"]] == [["example.com/tccgo"]] * 2
    [note] = typecheck.cgo_notes(data, vet=True)
    assert note.startswith("cgo not checked on linux/amd64 +cgo, linux/386 +cgo: no C compiler")
    assert "of example.com/tccgo are checked with a fake import" in note
    assert "vet's analyzers" in note
    assert "analyzers" not in typecheck.cgo_notes(data, vet=False)[0]
    data, off = run(engine, go_env, fixture("tc_cgo"), jobs_for(["linux/amd64"]))
    assert [d.message for d in off["linux/amd64"].diagnostics] == ["undefined: native"]
    assert typecheck.cgo_notes(data, vet=False) == []  # cgo off: nothing was faked


def test_syntax_errors_are_reported_not_crashed_on(engine: str, go_env: dict[str, str],
                                                   tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module example.com/broken\n\ngo 1.21\n")
    (tmp_path / "a.go").write_text("package broken\n\nfunc A( {\n")
    _, results = run(engine, go_env, str(tmp_path), jobs_for(["linux/386"]))
    result = results["linux/386"]
    assert result.status == "fail"
    assert result.diagnostics[0].file == "a.go" and result.diagnostics[0].line == 3


def test_unknown_package_pattern_is_not_a_crash(engine: str, go_env: dict[str, str],
                                                tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module example.com/m\n\ngo 1.21\n")
    (tmp_path / "a.go").write_text('package m\n\nimport "example.com/nowhere"\n\n'
                                   "var _ = nowhere.X\n")
    _, results = run(engine, go_env, str(tmp_path), jobs_for(["linux/amd64"]))
    result = results["linux/amd64"]
    assert result.status == "fail"
    assert any("example.com/nowhere" in d.message for d in result.diagnostics)


def test_run_cache_is_off_when_go_mod_replaces_with_a_directory(
        engine: str, go_env: dict[str, str], tmp_path: Path) -> None:
    module = tmp_path / "m"
    shutil.copytree(fixture("uint32const"), module)
    gomod = module / "go.mod"
    gomod.write_text(gomod.read_text() + "\nreplace example.com/x => ../x\n")
    cache = str(tmp_path / "cache")
    jobs = jobs_for(["linux/386"])
    run(engine, go_env, str(module), jobs, cache_dir=cache)
    again, results = run(engine, go_env, str(module), jobs, cache_dir=cache)
    assert not again["stats"]["run_cache_hit"]  # files outside the module could matter
    assert again["stats"]["cache_hits"] == 1  # the per-package cache is still exact
    assert len(results["linux/386"].diagnostics) == 1


def test_engine_builds_and_runs_with_the_oldest_supported_go(go_env: dict[str, str]) -> None:
    old = os.environ.get("CROSSVET_GO_OLD")  # go1.22.10, installed by `make setup`
    if not old:
        pytest.skip("CROSSVET_GO_OLD is not set (make test sets it)")
    env = {**go_env, "PATH": str(Path(old).parent) + os.pathsep + go_env["PATH"]}
    tc = toolchain.find(env, old)
    assert tc.version[:2] == engine_build.MIN_GO[:2]
    old_engine = engine_build.ensure(tc, cache_dir=engine_cache_dir(), env=env)
    _, results = run(old_engine, env, fixture("overflow"), jobs_for(["linux/amd64", "linux/386"]))
    assert results["linux/amd64"].diagnostics == ()
    [d] = results["linux/386"].diagnostics
    assert (d.file, d.line, d.col, d.category) == ("s3/minio.go", 14, 51, "overflow")


def test_benchmark_module_is_valid_go_for_every_kind_of_target(engine: str,
                                                                go_env: dict[str, str],
                                                                tmp_path: Path) -> None:
    module = generate(tmp_path / "big", packages=3)
    ids = ["linux/amd64", "linux/386", "windows/arm64", "darwin/arm64", "freebsd/amd64"]
    data, results = run(engine, go_env, str(module), jobs_for(ids))
    for target in ids:
        assert results[target].status == "ok", (target, results[target].diagnostics)
        assert len(results[target].packages) == 4  # three packages and the command
    # plain and test variants, and the command, for every target: checked, sharing a result,
    # or (a package vet analyzes as its test variant) taking its test variant's
    stats = data["stats"]
    assert stats["checked_full"] + stats["shared_by_use"] + stats["from_test_variant"] == 5 * 7
