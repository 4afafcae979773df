"""What a `crossvet check` imports (issue #25: a warm check in at most 0.5 s). Half of a warm
run's own time was imports; the libraries below are for other commands, other reports or other
inputs, and each is imported where it is used. A module-level import of one of them anywhere on
the check's path fails here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, fixture

# The sticky comment's client (httpx), the container runner (docker), config and workflow files
# (yaml), JUnit and Markdown reports (junit_xml, tabulate), and importlib.metadata (tabulate
# imports it; crossvet's own version and zig's are read without it: checker/installed.py).
NOT_FOR_A_CHECK = ("httpx", "docker", "yaml", "junit_xml", "tabulate", "importlib.metadata")


def _loaded(code: str, cwd: Path, env: dict[str, str] | None = None) -> list[str]:
    """The modules a fresh interpreter has loaded after `code` (which prints nothing)."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    env = dict(env) if env is not None else \
        {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    res = subprocess.run([sys.executable, "-c", script], cwd=cwd, env=env, capture_output=True,
                         text=True, check=False, timeout=120)
    assert res.returncode == 0, res.stderr
    return list(json.loads(res.stdout.splitlines()[-1]))


# crossvet's own modules a plain check (no GitHub Actions, no --new-from-rev, no analyzers:, no
# .goreleaser.yaml) has no use for: each costs the creation of its dataclasses (~1.5 ms each).
NOT_FOR_A_PLAIN_CHECK = ("reports.annotate", "crossvet.gitrev", "matrix.goreleaser",
                         "checker.lint_build")


def _heavy(modules: list[str]) -> list[str]:
    return sorted(m for m in modules if m in NOT_FOR_A_CHECK or m.split(".")[0] in
                  {n for n in NOT_FOR_A_CHECK if "." not in n})


@pytest.mark.parametrize("where", ["elsewhere", "checkout"])
def test_the_entry_point_imports_none_of_them(tmp_path: Path, where: str) -> None:
    """From a module's directory, and from crossvet's checkout (its crossvet.egg-info first on
    sys.path, as in bench/: PYTHONPATH=the checkout)."""
    cwd = tmp_path if where == "elsewhere" else ROOT
    env = {**os.environ, "PYTHONPATH": str(ROOT)} if where == "checkout" else None
    assert _heavy(_loaded("import crossvet.cli", cwd, env)) == []


def test_the_check_imports_none_of_them(tmp_path: Path, go_env: dict[str, str]) -> None:
    """A whole `crossvet check` (one target, the build check: no engine to build here)."""
    code = ("import io, os, sys\nfrom crossvet import cli\n"
            f"code = cli.run(['check', {fixture('clean')!r}, '--checks', 'build', '--targets', "
            "'linux/amd64'], os.environ, io.StringIO(), io.StringIO())\n"
            "assert code == 0, code")
    env = {**go_env, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("GITHUB_ACTIONS", None)
    loaded = _loaded(code, tmp_path, env)
    assert _heavy(loaded) == []
    assert sorted(set(NOT_FOR_A_PLAIN_CHECK) & set(loaded)) == []
    assert "crossvet.pipeline" in loaded  # (the check did run)


@pytest.mark.parametrize(("code", "module"), [
    ("from crossvet import github; github._client('https://api.github.com', 't', print)",
     "httpx"),
    ("from matrix import config; config.parse('jobs: 2', source='x')", "yaml"),
    ("from matrix import claims; claims.claimed((), None, goreleaser_text='builds: []')",
     "matrix.goreleaser"),
    ("from reports import formats, results; formats.BY_NAME['junit'].render("
     "results.Results(targets=(), checks=()), formats.Context())", "junit_xml"),
])
def test_each_is_imported_where_it_is_used(tmp_path: Path, code: str, module: str) -> None:
    """(so that the test above fails for the right reason when one moves back up)"""
    assert module in _loaded(code, tmp_path)
