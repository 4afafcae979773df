"""Repositories of several modules (#15), end to end with the real go: a go.work workspace of
three modules checked from its root, the same tree without go.work with --modules all, a nested
module excluded by config, each module's own config, shards and merge across modules, grouped
reports, and the modules that cannot be checked."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from crossvet.outputs import load
from matrix.plan import Job, qualified
from reports.results import Results
from tests.conftest import CliResult, CliRunner
from tests.helpers import monorepo
from tests.helpers import typecheck_helpers as tc
from tests.helpers.monorepo import OVERFLOW, TARGETS, UNDEFINED
from tests.helpers.typecheck_helpers import build_engine, cli_env

# (category, file, line, col, module, targets): the two seeded problems, nothing else.
SEEDED = [
    (*UNDEFINED, "app", ["windows/386"]),
    (*OVERFLOW, "calc", ["linux/386", "windows/386"]),
]


def findings(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(f["category"], f["file"], f["line"], f["col"], f["module"], f["targets"])
            for f in data["findings"]]


def check(cli: CliRunner, root: Path, tmp: Path, *extra: str, env: dict[str, str] | None = None
          ) -> tuple[CliResult, dict[str, Any]]:
    out = tmp / "results.json"
    out.unlink(missing_ok=True)
    res = cli("check", str(root), "--targets", TARGETS, "--json", str(out), *extra, env=env)
    return res, (json.loads(out.read_text()) if out.exists() else {})


@pytest.fixture(scope="module")
def engine(go_env: dict[str, str]) -> str:
    return build_engine(go_env)


@pytest.mark.parametrize("checks", ["vet,build", "typecheck"])
def test_a_workspace_from_its_root(cli: CliRunner, tmp_path: Path, engine: str,
                                   checks: str) -> None:
    root = monorepo.write(tmp_path / "repo")
    res, data = check(cli, root, tmp_path, "--checks", checks,
                      "--markdown", str(tmp_path / "r.md"),
                      env=cli_env(engine, str(tmp_path)))
    assert res.code == 1, res.err + res.out
    assert findings(data) == SEEDED
    assert data["module"] == ""
    assert data["modules"] == [{"dir": "app", "path": "example.com/app"},
                               {"dir": "calc", "path": "example.com/calc"},
                               {"dir": "lib", "path": "example.com/lib"}]
    assert [(t["id"], t["module"], t["status"]) for t in data["targets"]] == [
        ("linux/amd64", "app", "ok"), ("linux/386", "app", "ok"),
        ("windows/386", "app", "fail"),
        ("linux/amd64", "calc", "ok"), ("linux/386", "calc", "fail"),
        ("windows/386", "calc", "fail"),
        ("linux/amd64", "lib", "ok"), ("linux/386", "lib", "ok"),
        ("windows/386", "lib", "ok")]
    diags = {(d["file"], d["line"]) for t in data["targets"] for c in t["checks"]
             for d in c["diagnostics"]}
    assert diags == {("app/app.go", 8), ("calc/calc.go", 8)}  # repository-relative
    # The terminal and the Markdown report put each finding under its module.
    assert "module app (example.com/app): 1 finding\nerror [undefined] app/app.go:8:25" in res.out
    md = (tmp_path / "r.md").read_text()
    app, calc = md.index("### Module `app (example.com/app)`"), \
        md.index("### Module `calc (example.com/calc)`")
    assert app < md.index("#### Undefined on some targets (1)") < md.index("`app/app.go:8:25`") \
        < calc < md.index("#### Constant overflows (1)") < md.index("`calc/calc.go:8:17`")
    assert "Module `lib" not in md  # a module without findings has no section
    assert "| module   | target        |" in md


def test_the_tree_without_gowork_with_modules_all(cli: CliRunner, tmp_path: Path) -> None:
    root = monorepo.write(tmp_path / "repo", gowork=False)
    res, data = check(cli, root, tmp_path, "--checks", "vet,build")
    assert res.code == 2 and "not a Go module root" in res.err  # no go.mod, no go.work
    res, data = check(cli, root, tmp_path, "--checks", "vet,build", "--modules", "all")
    assert res.code == 1, res.err + res.out
    assert findings(data) == SEEDED


def test_a_nested_module_excluded_by_config(cli: CliRunner, tmp_path: Path) -> None:
    root = monorepo.write(tmp_path / "repo", gowork=False, tools=True)
    res, data = check(cli, root, tmp_path, "--checks", "build", "--modules", "all")
    assert res.code == 1
    assert ("compile", "tools/tools.go", 3, 18, "tools") in [f[:5] for f in findings(data)]
    (root / ".crossvet.yaml").write_text("modules: [all, '!tools']\n")
    res, data = check(cli, root, tmp_path, "--checks", "build")
    assert res.code == 1, res.err + res.out
    assert findings(data) == SEEDED
    assert {t["module"] for t in data["targets"]} == {"app", "calc", "lib"}


def test_each_module_keeps_its_own_config(cli: CliRunner, tmp_path: Path) -> None:
    root = monorepo.write(tmp_path / "repo", extra={
        ".crossvet.yaml": "checks: [build]\n",
        "calc/.crossvet.yaml": "targets: [linux/amd64]\n"})
    out = tmp_path / "r.json"
    res = cli("check", str(root), "--json", str(out), "--targets", TARGETS)
    data = json.loads(out.read_text())
    # --targets wins over every file; checks come from the root's file.
    assert res.code == 1 and findings(data) == SEEDED
    assert data["checks"] == ["build"]
    res = cli("check", str(root), "--json", str(out),
              env={"CROSSVET_TARGETS": "linux/386,windows/386"})
    data = json.loads(out.read_text())
    assert res.code == 1, res.err
    # The environment wins over every file, the module's own too.
    assert [t["id"] for t in data["targets"] if t["module"] == "calc"] == [
        "linux/386", "windows/386"]
    (root / ".crossvet.yaml").write_text("checks: [build]\ntargets: [linux/386, windows/386]\n")
    (root / "app" / ".crossvet.yaml").write_text("fail_on: never\njobs: 1\n")
    res = cli("check", str(root), "--json", str(out))
    data = json.loads(out.read_text())
    # What fails the run is the run's setting: the module's own fail_on is said, not used.
    assert res.code == 1, res.err + res.out
    assert ("crossvet: app/.crossvet.yaml: fail_on, jobs: the run's settings, not a module's, "
            "in a run of several modules") in res.out
    assert [t["id"] for t in data["targets"] if t["module"] == "calc"] == ["linux/amd64"]
    assert [t["id"] for t in data["targets"] if t["module"] == "app"] == [
        "linux/386", "windows/386"]
    assert findings(data) == [SEEDED[0]]  # calc checked on 64-bit only: no overflow


def test_shards_and_merge_across_modules(cli: CliRunner, tmp_path: Path) -> None:
    root = monorepo.write(tmp_path / "repo")
    args = ("--targets", TARGETS, "--checks", "vet,build")
    r = cli("plan", str(root), *args, "--shards", "2", "--format", "json")
    assert r.code == 0, r.err
    plan = json.loads(r.out)
    by_shard: dict[str, list[str]] = {}
    for job in plan["jobs"]:
        by_shard.setdefault(job["shard"], []).append(job["name"])
        assert job["name"] == f"{job['module']}:{job['target']}"
    assert sorted(by_shard) == ["1/2", "2/2"]
    assert {len(v) for v in by_shard.values()} == {4, 5}  # nine jobs of equal weight
    assert {n.split(":")[0] for n in by_shard["1/2"]} == {"app", "calc", "lib"}
    parts = []
    for shard in ("1/2", "2/2"):
        part = tmp_path / f"part-{shard[0]}.json"
        r = cli("check", str(root), *args, "--shard", shard, "--json", str(part))
        assert r.code in (0, 1), r.err
        assert sorted(qualified(t["module"], t["id"])
                      for t in json.loads(part.read_text())["targets"]) == sorted(by_shard[shard])
        parts.append(str(part))
    merged = tmp_path / "merged.json"
    r = cli("merge", *parts, "--json", str(merged), "--junit", str(tmp_path / "m.xml"))
    assert r.code == 1, r.err
    whole_res, whole = check(cli, root, tmp_path, *args[2:])
    assert whole_res.code == 1
    joined = json.loads(merged.read_text())
    assert findings(joined) == findings(whole) == SEEDED
    assert [(t["module"], t["id"]) for t in joined["targets"]] == \
        [(t["module"], t["id"]) for t in whole["targets"]]
    assert joined["modules"] == whole["modules"]
    junit = (tmp_path / "m.xml").read_text()
    assert junit.count("<testsuite ") == 9 and 'name="calc:linux/386"' in junit
    assert '<property name="module" value="calc"/>' in junit


LIB_BIG = "package lib\n\n// Big does not fit a 32-bit int.\nvar Big int = 1 << 40\n"


def shape(res: Results, module: str, root: Path, alone: Path | None = None
          ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """A module's targets (id, status, problems) and findings, paths from the repository root:
    those of `module` in a run of several, or (`alone`: the module's directory) of its run."""
    def path(file: str) -> str:
        if alone is None or not file:
            return file
        full = Path(file) if Path(file).is_absolute() else alone / file
        return full.resolve().relative_to(root.resolve()).as_posix()
    targets = [(t.id, t.status, res.problems(t)) for t in res.targets
               if alone is not None or t.module == module]
    found = [(f.category, path(f.file), f.line, f.col, f.message, f.targets, f.explanation,
              f.baseline, f.suppressed) for f in res.findings if alone is not None
             or f.module == module]
    return targets, found


def test_a_module_reads_the_same_alone_and_in_a_run_of_several(cli: CliRunner,
                                                                tmp_path: Path) -> None:
    """What `report` reads for a module in a run of several (its targets, its findings, their
    targets) is what it reads for a run of that module alone. A problem in lib/big.go that
    app's build reports too (lib is app's workspace dependency) is a finding of each."""
    root = monorepo.write(tmp_path / "repo", extra={"lib/big.go": LIB_BIG})
    args = ("--targets", TARGETS, "--checks", "build")
    several = tmp_path / "several.json"
    res = cli("check", str(root), *args, "--json", str(several))
    assert res.code == 1, res.err + res.out
    every = load(str(several))
    assert {(f.module, f.file) for f in every.findings} == {
        ("app", "lib/big.go"), ("lib", "lib/big.go"), ("calc", "calc/calc.go")}
    report = cli("report", str(several))
    for m in ("app", "calc", "lib"):
        own = tmp_path / f"{m}.json"
        one = cli("check", str(root / m), *args, "--json", str(own))
        assert one.code == 1, one.err + one.out
        alone = load(str(own))
        assert shape(every, m, root) == shape(alone, m, root, alone=root / m)
        assert shape(alone, m, root, alone=root / m)[1]  # every module has a finding here
        for f in alone.findings:  # the same lines under the module's heading in `report`
            on = f"on {len(f.targets)}/3 targets: {', '.join(f.targets)}"
            assert on in cli("report", str(own)).out and on in report.out


SUPPRESSED = {
    # app: an inline comment on the line that breaks on windows
    "app/app.go": monorepo.FILES["app/app.go"].replace(
        "platformName\n", "platformName //crossvet:ignore undefined -- built for linux only\n"),
    # calc: its own .crossvet.yaml's `ignore:` (its path is relative to calc)
    "calc/.crossvet.yaml": ("ignore:\n  - category: overflow\n    path: calc.go\n"
                            "    reason: only shipped for 64-bit\n"),
    # lib: one that matches nothing, reported unused for lib's targets
    "lib/.crossvet.yaml": "ignore:\n  - category: vet/printf\n    reason: no printf here\n",
}


def suppressed(data: dict[str, Any], prefix: str = "") -> list[tuple[Any, ...]]:
    """Each suppressed finding, as a run of its module alone names it."""
    return sorted((f["category"], f["file"].removeprefix(prefix), f["line"],
                   f["targets"], f["suppressed"]["reason"])
                  for f in data["findings"] if f.get("suppressed"))


def uses(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    return sorted((u["by"].rsplit("/", 1)[-1], u["reason"], u["matched"], u["unused"],
                   u["targets"]) for u in data["ignores"])


@pytest.mark.parametrize("how", ["go.work", "--modules all"])
def test_each_module_keeps_its_suppressions(cli: CliRunner, tmp_path: Path, engine: str,
                                            how: str) -> None:
    """A module's `ignore:` entries and inline comments apply to its findings in a run of
    several modules as in a run of it alone: the same exit code, suppressions and unused."""
    root = monorepo.write(tmp_path / "repo", gowork=how == "go.work", extra=SUPPRESSED)
    env = cli_env(engine, str(tmp_path))
    modules = ("--modules", "all") if how != "go.work" else ()
    res, data = check(cli, root, tmp_path, *modules, env=env)
    assert res.code == 0, res.err + res.out
    assert [f for f in data["findings"] if not f.get("suppressed")] == []
    assert "by app/app.go:8: built for linux only" in res.out
    assert "by calc/.crossvet.yaml:2: only shipped for 64-bit" in res.out
    assert ("warning: unused suppression at lib/.crossvet.yaml:2 (vet/printf): it matched "
            "nothing on 3 targets it applies to") in res.out
    assert [(u["by"], u["module"], u["targets"][0]) for u in data["ignores"]] == [
        ("app/app.go:8", "app", "linux/amd64"), ("calc/.crossvet.yaml:2", "calc", "linux/amd64"),
        ("lib/.crossvet.yaml:2", "lib", "linux/amd64")]
    alone = {}
    for m in ("app", "calc", "lib"):
        one, alone[m] = check(cli, root / m, tmp_path, env=env)
        assert one.code == 0, one.err + one.out
        assert suppressed(alone[m]) == suppressed(
            {"findings": [f for f in data["findings"] if f["module"] == m]}, f"{m}/")
    assert suppressed(data) and uses(data) == sorted(u for m in alone for u in uses(alone[m]))
    # An unused suppression fails both kinds of run alike.
    res, _ = check(cli, root, tmp_path, *modules, "--unused-ignores", "error", env=env)
    one, _ = check(cli, root / "lib", tmp_path, "--unused-ignores", "error", env=env)
    assert res.code == one.code == 1, res.err + res.out


def test_modules_that_cannot_be_checked(cli: CliRunner, tmp_path: Path) -> None:
    root = monorepo.write(tmp_path / "repo", gowork=False, extra={
        "copy/go.mod": "module example.com/calc\n\ngo 1.22\n",
        "copy/c.go": "package calc\n",
        "broken/go.mod": "module example.com/broken\n\ngo 1.22\nrequire (\n",
    })
    res, data = check(cli, root, tmp_path, "--checks", "build", "--modules", "all")
    assert res.code == 2 and data == {}  # nothing was checked
    head, copy, broken = res.err.splitlines()
    assert head == ("crossvet: error: 2 modules cannot be checked (nothing was checked; "
                    "--keep-going checks the others):")
    assert copy == ("  copy: module path example.com/calc is also the module path of calc; "
                    "each module needs its own path")
    assert broken.startswith("  broken: go cannot load this module: go: errors parsing go.mod:")
    assert "go.mod:5: syntax error (unterminated block" in broken
    res, data = check(cli, root, tmp_path, "--checks", "build", "--modules", "all",
                      "--keep-going")
    assert res.code == 2, res.err + res.out
    assert findings(data) == SEEDED
    assert "crossvet: not checked (--keep-going): copy: module path" in res.out
    assert "crossvet: 2 modules could not be checked (above)" in res.out


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("checks", ["build", "typecheck,vet"])
def test_a_use_without_gomod_stops_the_run_or_is_left_out(
        cli: CliRunner, tmp_path: Path, engine: str, checks: str) -> None:
    """go refuses a whole workspace that `use`s a directory without go.mod (or a module it
    cannot load): --keep-going checks the others in the workspace without it."""
    gowork = "go 1.22\n\nuse (\n\t./app\n\t./calc // the overflow\n\t./lib\n\t./gone\n)\n"
    root = monorepo.write(tmp_path / "repo", extra={
        "go.work": gowork, "go.work.sum": "", "gone/README": "no module here\n",
        "broken/go.mod": "module example.com/broken\n\ngo 1.22\nrequire (\n"})
    env = cli_env(engine, str(tmp_path))
    res, data = check(cli, root, tmp_path, "--checks", checks, env=env)
    assert res.code == 2 and data == {}
    assert "gone: listed by `use` in go.work but has no go.mod" in res.err
    before = tree(root)
    res, data = check(cli, root, tmp_path, "--checks", checks, "--keep-going", env=env)
    assert res.code == 2, res.err + res.out
    assert findings(data) == SEEDED
    assert {t["status"] for t in data["targets"]} == {"ok", "fail"}  # every target checked
    assert [t["module"] for t in data["targets"]] == ["app"] * 3 + ["calc"] * 3 + ["lib"] * 3
    said = "gone: listed by `use` in go.work but has no go.mod"
    assert f"crossvet: not checked (--keep-going): {said}" in res.out
    assert f"crossvet: not checked: {said}" in res.out
    assert res.out.rstrip().endswith("crossvet: 1 module could not be checked (above)")
    assert tree(root) == before  # the workspace's copy is in crossvet's cache, not here
    # A module go cannot load is left out of the workspace the same way.
    (root / "go.work").write_text(gowork.replace("./gone", "./broken"))
    res, data = check(cli, root, tmp_path, "--checks", checks, "--keep-going", env=env)
    assert res.code == 2, res.err + res.out
    assert findings(data) == SEEDED
    assert "crossvet: not checked (--keep-going): broken: go cannot load this module" in res.out


def test_one_engine_run_shares_std_between_modules(go_env: dict[str, str], engine: str,
                                                   tmp_path: Path) -> None:
    """calc and lib both import strconv: checked together, std's entries are checked once per
    sizes class, as often as for either module alone, not once per module."""
    root = monorepo.write(tmp_path / "repo", gowork=False)

    def jobs(*modules: str) -> list[Job]:
        return [replace(j, module=m) for m in modules
                for j in tc.jobs_for(["linux/amd64", "linux/386", "windows/386"])]

    both, results = tc.run(engine, go_env, str(root), jobs("calc", "lib"))
    alone = {m: tc.run(engine, go_env, str(root), jobs(m))[0]["stats"] for m in ("calc", "lib")}
    deps = {m: s["checked_deps"] for m, s in alone.items()}
    assert deps["calc"] == deps["lib"] > 0  # the same std closure (strconv)
    stats = both["stats"]
    assert stats["checked_deps"] == deps["calc"]  # once, not twice
    assert stats["checked_full"] == sum(s["checked_full"] for s in alone.values())
    assert {d.file for r in results.values() for d in r.diagnostics} == {"calc/calc.go"}
