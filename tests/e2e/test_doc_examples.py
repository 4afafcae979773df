"""Every shell example in README.md and docs/*.md runs as written (tests/helpers/doc_examples.py
says how a block is found and marked).

A block runs with `sh -e` in a scratch directory that is a small clean Go module (a copy of
tests/fixtures/clean, committed in a git repository whose `origin/main` is that commit) holding a
copy of the repository's `examples/`, with `crossvet` on PATH
being this checkout. Blocks that name no targets get CROSSVET_TARGETS=linux/amd64,linux/386, so
the suite compiles only what it already compiles.
"""

from __future__ import annotations

import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT
from tests.helpers.doc_examples import Example, MarkError, all_examples, examples

EXAMPLES = all_examples(ROOT)
RUN = [e for e in EXAMPLES if not e.skip]


def _workspace(tmp: Path) -> Path:
    work = tmp / "work"
    shutil.copytree(FIXTURES / "clean", work)
    shutil.copytree(ROOT / "examples", work / "examples")
    shim = tmp / "bin" / "crossvet"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m crossvet "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    # A git checkout whose origin/main is its one commit, as in CI (--new-from-rev examples).
    for argv in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base"],
                 ["update-ref", "refs/remotes/origin/main", "HEAD"]):
        subprocess.run(["git", *argv], cwd=work, check=True, capture_output=True)
    return work


@pytest.mark.parametrize("example", RUN, ids=[e.name for e in RUN])
def test_example_runs_as_written(example: Example, tmp_path: Path,
                                 go_env: dict[str, str]) -> None:
    work = _workspace(tmp_path)
    env = {**go_env, "PYTHONPATH": str(ROOT), "CROSSVET_TARGETS": "linux/amd64,linux/386",
           "PATH": f"{tmp_path / 'bin'}:{go_env['PATH']}"}
    proc = subprocess.run(["sh", "-e", "-c", example.code], cwd=work, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == example.exit, (
        f"{example.name} exited {proc.returncode}, the docs say {example.exit}:\n"
        f"{example.code}\n--- stdout\n{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-3000:]}")
    assert "Traceback" not in proc.stderr


def test_the_docs_have_examples_and_most_of_them_run() -> None:
    assert len(RUN) >= 2
    assert any("--shard 1/2" in e.code for e in RUN)  # the sharding example is among them
    for e in EXAMPLES:
        if e.skip:
            assert len(e.skip) >= 10, f"{e.name}: say why it is not run"


def test_markers() -> None:
    text = ("intro\n\n```sh\necho a\n```\n\n<!-- example: exit 1 -->\n```sh\nfalse\n```\n"
            "<!-- example: not run: needs Docker -->\n```bash\ndocker ps\n```\n"
            "```text\nnot a shell block\n```\n```yaml\nx: 1\n```\n")
    found = examples(text, "d.md")
    assert [(e.line, e.code, e.exit, e.skip) for e in found] == [
        (3, "echo a\n", 0, ""), (8, "false\n", 1, ""), (12, "docker ps\n", 0, "needs Docker")]
    # prose that quotes a marker in a code span is not a marker
    assert examples("Mark with `<!-- example: exit 1 -->` before a block.\n", "d.md") == []


@pytest.mark.parametrize(("text", "message"), [
    ("<!-- example: not run: -->\n```sh\nx\n```\n", "`not run` needs a reason"),
    ("<!-- example: skip -->\n```sh\nx\n```\n", "unknown example marker 'skip'"),
    ("<!-- example: exit 1 -->\n\n```sh\nx\n```\n", "just before a ```sh block"),
    ("<!-- example: not run: text -->\n```text\nx\n```\n", "just before a ```sh block"),
])
def test_bad_markers_are_errors(text: str, message: str) -> None:
    with pytest.raises(MarkError, match=message):
        examples(text, "d.md")
