"""`crossvet check … | head`: the reader going away ends the output, not the run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, fixture


def test_a_closed_pipe_ends_the_output_not_the_run(go_env: dict[str, str],
                                                   tmp_path: Path) -> None:
    results = tmp_path / "r.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "crossvet", "check", fixture("overflow"),
         "--targets", "linux/amd64,linux/386", "--json", str(results)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**go_env, "PYTHONPATH": str(ROOT)},
        cwd=tmp_path)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()  # what `head -1` reads; then the reader is gone
    proc.stdout.close()
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=300)
    assert first.startswith(b"crossvet: 2 targets"), first
    assert code == 1, err  # the overflow on linux/386: the run's own exit code
    assert "internal error" not in err and "Traceback" not in err and "BrokenPipe" not in err
    data = json.loads(results.read_text())
    assert {t["id"] for t in data["targets"]} == {"linux/amd64", "linux/386"}
