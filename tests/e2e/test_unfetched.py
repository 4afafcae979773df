"""A required module that cannot be downloaded (GOPROXY=off, no network), or a module the go.work
in use does not `use`, is the environment's problem, not the code's: the checks it stops are
not checked (exit 3) with what to do, said once for every target, never a finding; once the
module is downloaded the same command checks the code (no answer kept from the run that could
not)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.conftest import CliRunner
from tests.helpers import modproxy


def test_a_module_that_cannot_be_downloaded_stops_checks_until_it_is(
        cli: CliRunner, tmp_path: Path, go_env: dict[str, str]) -> None:
    proxy, mod = modproxy.usedep(tmp_path)
    env = {"GOMODCACHE": str(tmp_path / "modcache"), "GOFLAGS": "-modcacherw"}
    argv = ("check", str(mod), "--targets", "linux/amd64,linux/386", "--checks",
            "typecheck,vet,build", "--json", str(tmp_path / "r.json"))

    res = cli(*argv, env=env)
    assert res.code == 3, res.err + res.out
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["findings"] == []
    errors = {c["error"] for t in data["targets"] for c in t["checks"]}
    assert len(errors) == 1
    assert errors.pop().startswith("a required module could not be downloaded (module lookup "
                                   "disabled by GOPROXY=off): download the module's dependencies"
                                   " first (`go mod download`")
    assert "\n\n\n" not in res.out
    assert "s\n\ncould not check:\n    a required module could not be downloaded (" in res.out
    assert "\n        build, typecheck, vet on 2 targets: linux/amd64, linux/386\n" in res.out
    assert res.out.count("go mod download") == 2  # under the first target's line, in the summary

    go = shutil.which("go", path=go_env["PATH"])
    assert go
    subprocess.run([go, "mod", "download"], cwd=mod, check=True, capture_output=True,
                   env={**go_env, **env, "GOPROXY": f"file://{proxy}"})
    res = cli(*argv, env=env)
    assert res.code == 1, res.err + res.out
    data = json.loads((tmp_path / "r.json").read_text())
    assert [(f["file"], f["targets"]) for f in data["findings"]] == [("use.go", ["linux/386"])]
    assert all(not c["error"] for t in data["targets"] for c in t["checks"])


def test_a_module_outside_the_go_work_is_not_checked_and_says_why(cli: CliRunner,
                                                                  tmp_path: Path) -> None:
    """--modules all finds b, which the root go.work does not `use`: go refuses its packages
    ("directory prefix . does not contain modules listed in go.work"), which was a finding."""
    for name, text in {"a/go.mod": "module example.com/a\n\ngo 1.22\n",
                       "a/a.go": "package a\n\nvar X = 1\n",
                       "b/go.mod": "module example.com/b\n\ngo 1.22\n",
                       "b/b.go": "package b\n\nvar Y int = 1 << 40\n",
                       "go.work": "go 1.22\n\nuse ./a\n"}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    res = cli("check", str(tmp_path), "--modules", "all", "--targets", "linux/386",
              "--json", str(tmp_path / "r.json"), env={"GOWORK": ""})
    assert res.code == 3, res.err + res.out
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["findings"] == []
    assert {(t["module"], t["id"]): t["status"] for t in data["targets"]} == {
        ("a", "linux/386"): "ok", ("b", "linux/386"): "error"}
    assert ("    the go.work in use does not `use` this module (go: pattern ./...: directory "
            "prefix . does not contain modules listed in go.work or their selected "
            "dependencies): add it (`go work use DIR`) or check it outside the workspace "
            "(GOWORK=off)\n        typecheck, vet on 1 target: b:linux/386\n") in res.out
