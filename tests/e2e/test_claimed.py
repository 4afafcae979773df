"""The default target set comes from the module (the `claimed` preset): `crossvet check` and
`crossvet plan` with no --targets, on modules written at test time, with the real go.

GOARCHes stay the suite's few where a check runs: plan9/{386,amd64,arm} and the first-class
ports; the type-check engine compiles nothing. Plans run nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import CliRunner

FIRST_CLASS = {"darwin/amd64", "darwin/arm64", "linux/386", "linux/amd64", "linux/arm",
               "linux/arm64", "windows/386", "windows/amd64"}
PLAN9 = ["plan9/386", "plan9/amd64", "plan9/arm"]


def module(root: Path, files: dict[str, str], path: str = "example.com/m") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "go.mod").write_text(f"module {path}\n\ngo 1.22\n")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def plan(cli: CliRunner, *args: str) -> dict[str, Any]:
    res = cli("plan", *args, "--format", "json")
    assert res.code == 0, res.out + res.err
    data: dict[str, Any] = json.loads(res.out)
    return data


def why(data: dict[str, Any]) -> dict[str, list[str]]:
    return {j["name"]: j["why"] for j in data["jobs"]}


PLAN9_MODULE = {
    "lock.go": "package m\n\n// Lock is the same on every port.\n"
               "func Lock() error { return lockFile() }\n",
    "lock_other.go": "//go:build !plan9\n\npackage m\n\nfunc lockFile() error { return nil }\n",
    "lock_plan9.go": "package m\n\n// plan9 has its own lock, but lockFile was forgotten.\n"
                     "func plan9Lock() {}\n",
}


def test_a_plan9_only_file_puts_plan9_in_the_default_check_and_finds_the_gap(
        cli: CliRunner, tmp_path: Path) -> None:
    mod = module(tmp_path / "m", PLAN9_MODULE)
    out = tmp_path / "r.json"
    res = cli("check", str(mod), "--json", str(out))
    assert res.code == 1, res.out + res.err
    data = json.loads(out.read_text())
    assert {t["id"] for t in data["targets"]} == FIRST_CLASS | set(PLAN9)
    assert [(f["category"], f["file"], f["message"], f["targets"]) for f in data["findings"]] \
        == [("undefined", "lock.go", "undefined: lockFile", PLAN9)]
    # the plan says why plan9 is checked
    shown = cli("plan", str(mod))
    assert shown.code == 0
    rows = {line.split()[0]: line for line in shown.out.splitlines() if "/" in line}
    assert rows["plan9/arm"].rstrip().endswith("lock_plan9.go")
    assert rows["linux/arm"].rstrip().endswith("first-class, 32-bit")
    assert set(why(plan(cli, str(mod)))["plan9/386"]) == {"lock_plan9.go"}


def test_an_explicit_target_list_is_not_widened(cli: CliRunner, tmp_path: Path) -> None:
    mod = module(tmp_path / "m", PLAN9_MODULE)
    data = plan(cli, str(mod), "--targets", "linux/amd64,linux/386")
    assert [j["target"] for j in data["jobs"]] == ["linux/amd64", "linux/386"]
    assert all(j["why"] == [] for j in data["jobs"])  # a plain list explains itself
    data = plan(cli, str(mod), "--targets", "claimed,!plan9/arm,linux/mips")
    reasons = why(data)
    assert "plan9/arm" not in reasons and reasons["plan9/amd64"] == ["lock_plan9.go"]
    assert reasons["linux/mips"] == ["linux/mips"]


def test_goreleaser_ports_are_planned_with_the_reason(cli: CliRunner, tmp_path: Path) -> None:
    mod = module(tmp_path / "m", {
        "m.go": "package m\n",
        ".goreleaser.yaml": "builds:\n  - goos: [linux, freebsd]\n"
                            "    goarch: [amd64, arm64]\n",
    })
    reasons = why(plan(cli, str(mod)))
    assert set(reasons) == FIRST_CLASS | {"freebsd/amd64", "freebsd/arm64"}
    assert reasons["freebsd/arm64"] == [".goreleaser.yaml"]
    assert reasons["linux/arm64"] == ["first-class", ".goreleaser.yaml"]


def test_workflow_matrix_ports_are_planned_with_the_reason(cli: CliRunner,
                                                           tmp_path: Path) -> None:
    mod = module(tmp_path / "m", {
        "m.go": "package m\n",
        ".github/workflows/cross.yml": (
            "on: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    strategy:\n"
            "      matrix:\n        goos: [openbsd, netbsd]\n        goarch: [amd64]\n"
            "        include:\n          - {goos: plan9, goarch: '386'}\n    steps:\n"
            "      - run: GOOS=${{ matrix.goos }} GOARCH=${{ matrix.goarch }} go build ./...\n"),
        ".github/workflows/lint.yaml": "on: [push]\njobs:\n  l:\n    runs-on: ubuntu-latest\n",
    })
    reasons = why(plan(cli, str(mod)))
    assert set(reasons) == FIRST_CLASS | {"openbsd/amd64", "netbsd/amd64", "plan9/386"}
    assert reasons["netbsd/amd64"] == [".github/workflows/cross.yml"]
    assert reasons["plan9/386"] == [".github/workflows/cross.yml"]


def test_a_not_windows_module_claims_nothing_beyond_first_class(cli: CliRunner,
                                                                tmp_path: Path) -> None:
    mod = module(tmp_path / "m", {
        "m.go": "package m\n\nfunc Home() string { return home() }\n",
        "home_unixish.go": "//go:build !windows\n\npackage m\n\n"
                           "func home() string { return \"/\" }\n",
        "home_stub.go": "//go:build !windows && !plan9 && !js\n\npackage m\n",
    })
    data = plan(cli, str(mod))
    reasons = why(data)
    assert set(reasons) == FIRST_CLASS  # windows/arm64 is not first-class and not claimed
    assert reasons["windows/amd64"] == ["first-class"]
    assert reasons["windows/386"] == ["first-class", "32-bit"]
    # `--targets all` still checks every port, a windows one that nothing claims too
    assert "windows/arm64" in {j["target"] for j in plan(cli, str(mod), "--targets", "all")
                               ["jobs"]}


def test_a_finding_on_a_port_nothing_claims_reads_as_any_other(cli: CliRunner,
                                                               tmp_path: Path) -> None:
    mod = module(tmp_path / "m", {
        "m.go": "package m\n\nfunc Home() string { return home() }\n",
        "home_unixish.go": "//go:build !windows && !plan9\n\npackage m\n\n"
                           "func home() string { return \"/\" }\n",
    })
    out = tmp_path / "r.json"
    res = cli("check", str(mod), "--targets", "claimed,plan9/amd64", "--json", str(out))
    assert res.code == 1, res.out + res.err
    found = json.loads(out.read_text())["findings"]
    assert [(f["message"], f["targets"]) for f in found] == \
        [("undefined: home", ["windows/386", "windows/amd64", "plan9/amd64"])]
    assert found[0]["explanation"].startswith("Declared only for some targets")


def test_a_main_package_keeps_out_the_ports_that_link_only_with_cgo(cli: CliRunner,
                                                                    tmp_path: Path) -> None:
    mod = module(tmp_path / "m", {
        "main.go": "package main\n\nfunc main() { run() }\n",
        "run_unix.go": "//go:build unix\n\npackage main\n\nfunc run() {}\n",
        "run_other.go": "//go:build !unix\n\npackage main\n\nfunc run() {}\n",
    })
    data = plan(cli, str(mod))
    targets = {j["target"] for j in data["jobs"]}
    assert "android/arm64" in targets and "aix/ppc64" in targets
    for gone in ("android/386", "android/amd64", "android/arm", "ios/amd64", "ios/arm64"):
        assert gone not in targets
        assert any(n.startswith(f"{gone} is claimed") and "only with cgo" in n
                   for n in data["notes"]), gone
    # a library module is checked there: nothing to link
    lib = module(tmp_path / "lib", {"run_unix.go": "//go:build unix\n\npackage lib\n"})
    assert "ios/arm64" in {j["target"] for j in plan(cli, str(lib))["jobs"]}


def test_each_module_of_a_run_has_its_own_claims(cli: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    module(root / "a", {"a.go": "package a\n", "a_plan9.go": "package a\n"}, "example.com/a")
    module(root / "b", {"b.go": "package b\n",
                        ".goreleaser.yaml": "builds:\n  - goos: [freebsd]\n    goarch: [amd64]\n"},
           "example.com/b")
    data = plan(cli, str(root), "--modules", "all")
    by_module: dict[str, set[str]] = {}
    for j in data["jobs"]:
        by_module.setdefault(j["module"], set()).add(j["target"])
    assert by_module["a"] == FIRST_CLASS | set(PLAN9)
    assert by_module["b"] == FIRST_CLASS | {"freebsd/amd64"}
    assert why(data)["a:plan9/arm"] == ["a_plan9.go"]


def test_claims_are_read_where_go_reads_constraints(cli: CliRunner, tmp_path: Path) -> None:
    licence = "/*\n * Licence text\n * //go:build dragonfly\n */\n\n" + "// more\n" * 700
    mod = module(tmp_path / "m", {
        "m.go": "package m\n\n//go:build netbsd\n",  # after the package clause: not a constraint
        "sol.go": licence + "\n//go:build solaris\n\npackage m\n",  # after a long licence
        "old.go": "// +build aix\n\npackage m\n",  # old syntax only
        # directories go skips, and a nested module, claim nothing for this module
        "testdata/x_plan9.go": "package x\n",
        "vendor/example.com/v/x_plan9.go": "package v\n",
        "_old/x_plan9.go": "package x\n",
        ".hidden/x_plan9.go": "package x\n",
        "nested/go.mod": "module example.com/nested\n\ngo 1.22\n",
        "nested/x_plan9.go": "package nested\n",
    })
    reasons = why(plan(cli, str(mod)))
    assert set(reasons) == FIRST_CLASS | {"solaris/amd64", "aix/ppc64"}
    assert reasons["solaris/amd64"] == ["//go:build solaris in sol.go"]
    assert reasons["aix/ppc64"] == ["// +build aix in old.go"]
