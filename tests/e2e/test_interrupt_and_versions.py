"""Ctrl-C with a hung target, and an older Go whose output formats differ."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SMALL_TARGETS, CliRunner, fixture
from tests.e2e.test_check import hanging_module, summary


def _processes_in(path: Path) -> list[int]:
    """PIDs whose working directory is `path` (a leftover `go` would be one)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.readlink(entry / "cwd") == str(path):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def test_ctrl_c_kills_every_child_and_still_writes_results(go_env: dict[str, str],
                                                           tmp_path: Path) -> None:
    mod = hanging_module(tmp_path)
    out = tmp_path / "r.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "crossvet", "check", str(mod), "--checks", "build",
         "--targets", "windows/386,linux/amd64", "--jobs", "2", "--json", str(out)],
        cwd=ROOT, env=go_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    seen = []
    deadline = time.monotonic() + 120
    for line in proc.stdout:  # wait until the linux target has finished
        seen.append(line)
        if "linux/amd64" in line and line.startswith("["):
            break
        assert time.monotonic() < deadline, seen
    assert _processes_in(mod), "the hung go command should be running now"
    proc.send_signal(signal.SIGINT)
    rest, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "(interrupted: results are partial)" in rest
    data = json.loads(out.read_text())
    assert data["interrupted"] is True
    assert {t["id"]: t["status"] for t in data["targets"]} == {
        "windows/386": "error", "linux/amd64": "ok"}
    win = data["targets"][0]
    assert [c["error"] for c in win["checks"]] == ["interrupted"]
    time.sleep(0.5)
    assert _processes_in(mod) == []


@pytest.fixture(scope="session")
def old_go() -> str:
    path = os.environ.get("CROSSVET_GO_OLD", "")
    if not path or not os.access(path, os.X_OK):
        if os.environ.get("CI"):
            pytest.fail("CROSSVET_GO_OLD must name an older go binary in CI (make setup does)")
        pytest.skip("no older Go toolchain (run `make setup`, which installs Go 1.22)")
    return path


def test_go_1_22_gives_the_same_findings(old_go: str, cli: CliRunner, tmp_path: Path) -> None:
    """Go 1.22 has no `go build -json` and writes vet's JSON to stderr: same findings anyway."""
    results = {}
    for name in ("overflow", "vetprintf"):
        out = tmp_path / f"{name}.json"
        res = cli("check", fixture(name), "--go", old_go, "--targets", SMALL_TARGETS,
                  "--checks", "vet,build", "--vet", "go", "--json", str(out))
        assert res.code == 1, res.out + res.err
        results[name] = json.loads(out.read_text())
    assert results["overflow"]["go"].startswith("go1.22.")
    assert summary(results["overflow"]) == [
        ("overflow", "s3/minio.go", 14, 51, ["linux/386", "linux/arm", "windows/386"])]
    assert results["overflow"]["findings"][0]["checks"] == ["build", "vet"]
    (vet,) = results["vetprintf"]["findings"]
    assert (vet["analyzer"], vet["file"], vet["line"]) == ("printf", "greet.go", 7)
    assert vet["targets"] == SMALL_TARGETS.split(",")
    # The default: Go 1.22's own analyzers (listed in its cmd/vet/main.go) in the engine.
    out = tmp_path / "engine.json"
    res = cli("check", fixture("vetprintf"), "--go", old_go, "--targets", SMALL_TARGETS,
              "--json", str(out))
    assert res.code == 1, res.out + res.err
    (engine_vet,) = json.loads(out.read_text())["findings"]
    assert engine_vet["checks"] == ["vet"]
    assert {k: engine_vet[k] for k in ("analyzer", "file", "line", "col", "message", "targets")} \
        == {k: vet[k] for k in ("analyzer", "file", "line", "col", "message", "targets")}
