"""Ctrl-C and SIGTERM with a hung target, in the engine and while planning, and an older Go
whose output formats differ."""

from __future__ import annotations

import json
import os
import re
import shutil
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
        start_new_session=True, preexec_fn=_sigint_restored)  # noqa: PLW1509
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


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie whose parent was killed is not: where PID 1 does not
    reap orphans, as in some containers, it stays listed)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


HANGING_GO = """#!/bin/sh
# A go whose package listings for GOARCH=386 hang (with HANG_GO_LIST_M, `go list -m` too);
# every other command is the real go's.
if [ "$1 $2 $3" = "env GOROOT GOVERSION" ]; then  # crossvet then runs $GOROOT/bin/go: this one
  echo "{root}"; exec "{real}/bin/go" env GOVERSION
fi
if [ "$1" = list ] && {{ [ "$2" != -m ] && [ "$GOARCH" = 386 ] || [ -n "$HANG_GO_LIST_M" ]; }}
then
  echo $$ >> "{marker}"
  exec sleep 600
fi
exec "{real}/bin/go" "$@"
"""


def hanging_go(tmp_path: Path, go_env: dict[str, str]) -> tuple[str, Path]:
    """A GOROOT whose bin/go is HANGING_GO and whose everything else is the real one's (crossvet
    resolves `go` on PATH to $GOROOT/bin/go, so a wrapper on PATH alone would be skipped): the
    directory to put in front of PATH, and the file each hung `go list` writes its pid to."""
    real = subprocess.run(["go", "env", "GOROOT"], env=go_env, capture_output=True, text=True,
                          check=True).stdout.strip()
    root, marker = tmp_path / "goroot", tmp_path / "listing.pids"
    (root / "bin").mkdir(parents=True)
    for entry in Path(real).iterdir():
        if entry.name != "bin":
            (root / entry.name).symlink_to(entry)
    go = root / "bin" / "go"
    go.write_text(HANGING_GO.format(root=root, real=real, marker=marker))
    go.chmod(0o755)
    return str(root / "bin"), marker


def _sigint_restored() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # a background job's children ignore it


@pytest.mark.parametrize(("phase", "sig"), [("engine", signal.SIGINT),
                                            ("planning", signal.SIGTERM)])
def test_an_interrupt_in_the_engine_or_while_planning_still_writes_results(
        phase: str, sig: signal.Signals, go_env: dict[str, str], tmp_path: Path) -> None:
    """The default checks run in the engine, whose `go list` for linux/386 hangs here while
    linux/amd64 is checked (or planning's `go list -m` hangs): Ctrl-C or SIGTERM kills every
    child, writes every report asked for with what had finished, marked interrupted, and
    exits 130."""
    bin_dir, marker = hanging_go(tmp_path, go_env)
    mod = tmp_path / "m"
    shutil.copytree(fixture("clean"), mod)
    out, md = tmp_path / "r.json", tmp_path / "r.md"
    env = {**go_env, "PATH": bin_dir + os.pathsep + go_env["PATH"], "PYTHONPATH": str(ROOT),
           **({"HANG_GO_LIST_M": "1"} if phase == "planning" else {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "crossvet", "check", str(mod), "--targets", "linux/amd64,linux/386",
         "--no-typecheck-cache", "--json", str(out), "--markdown", str(md)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, preexec_fn=_sigint_restored)  # noqa: PLW1509
    assert proc.stdout is not None
    seen = []
    deadline = time.monotonic() + 120
    if phase == "engine":
        for line in proc.stdout:  # wait until the engine has told linux/amd64's results
            seen.append(line)
            if line.startswith("[") and "linux/amd64" in line:
                break
            assert time.monotonic() < deadline, seen
    while not marker.exists():
        assert proc.poll() is None, seen
        assert time.monotonic() < deadline, "the go list never started"
        time.sleep(0.1)
    time.sleep(0.3)
    assert _processes_in(mod), "the hung go list should be running now"
    proc.send_signal(sig)
    rest, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, rest + err
    assert "Traceback" not in rest + err
    assert "(interrupted: results are partial)" in rest
    data = json.loads(out.read_text())
    assert data["interrupted"] is True
    if phase == "engine":  # linux/amd64 finished, linux/386 did not
        assert {t["id"]: [(c["check"], c["status"], c["error"]) for c in t["checks"]]
                for t in data["targets"]} == {
            "linux/amd64": [("typecheck", "ok", ""), ("vet", "ok", "")],
            "linux/386": [("typecheck", "error", "interrupted"), ("vet", "error", "interrupted")]}
        assert "1 ok, 0 failing, 1 not checked (interrupted: results are partial)" in rest
    else:  # nothing was planned yet: no target, and nothing said to be ok
        assert (data["targets"], data["summary"]["ok"]) == ([], 0)
        assert data["error"] == "interrupted while planning"
        assert "⚠️ crossvet could not check any target" in md.read_text()
    assert "_The run was interrupted: these results are partial._" in md.read_text()
    time.sleep(0.5)
    assert _processes_in(mod) == [], "a child outlived the interrupt"
    assert not [pid for pid in map(int, marker.read_text().split()) if _alive(pid)]


def test_a_timeout_while_planning_writes_results_saying_why(go_env: dict[str, str],
                                                            tmp_path: Path) -> None:
    """A probe that hangs is killed at its bound (here --timeout 2): exit 3, and the reports
    asked for are still written, with no target and the reason."""
    bin_dir, marker = hanging_go(tmp_path, go_env)
    mod = tmp_path / "m"
    shutil.copytree(fixture("clean"), mod)
    out, md = tmp_path / "r.json", tmp_path / "r.md"
    proc = subprocess.run(
        [sys.executable, "-m", "crossvet", "check", str(mod), "--targets", "linux/amd64",
         "--timeout", "2", "--json", str(out), "--markdown", str(md)],
        cwd=tmp_path, env={**go_env, "PATH": bin_dir + os.pathsep + go_env["PATH"],
                           "PYTHONPATH": str(ROOT), "HANG_GO_LIST_M": "1"},
        capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    why = "`go list -m` (planning) timed out after 2s and was killed"
    assert f"could not check:\n    {why}\n" in proc.stdout
    data = json.loads(out.read_text())
    assert (data["targets"], data["error"], data["interrupted"]) == ([], why, False)
    assert md.read_text().startswith("## crossvet\n\n⚠️ crossvet could not check any target\n")
    assert "(planning) timed out after 2s and was killed" in md.read_text()
    assert marker.exists() and _processes_in(mod) == []
    again = subprocess.run([sys.executable, "-m", "crossvet", "report", str(out)], cwd=tmp_path,
                           env={**go_env, "PYTHONPATH": str(ROOT)}, capture_output=True,
                           text=True, timeout=60, check=False)
    assert again.returncode == 3 and f"could not check:\n    {why}\n" in again.stdout


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


def test_a_go_mod_for_a_newer_go_says_which_go_it_needs(old_go: str, cli: CliRunner,
                                                        tmp_path: Path) -> None:
    """Go 1.22 cannot parse a go.mod with a `tool` block (Go 1.24): its error is kept, and the
    go line is named beside the Go in use, since go's words do not say why."""
    (tmp_path / "go.mod").write_text("module example.com/m\n\ngo 1.24.0\n\n"
                                     "tool example.com/m/cmd/gen\n")
    (tmp_path / "m.go").write_text("package m\n")
    res = cli("check", str(tmp_path), "--go", old_go, "--targets", "linux/amd64")
    assert res.code == 2, res.out + res.err
    assert res.err.startswith("crossvet: error: go cannot load the module: go: errors parsing "
                              "go.mod: ")
    assert re.search(r" \(go.mod says go 1\.24\.0, newer than go1\.2[0-3]\.\d+ in use: check "
                     r"with Go 1\.24\.0 or later, e\.g\. --go PATH\)$", res.err.rstrip())
