"""A temporary git repository for the baseline tests: the overflow fixture committed twice."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

from tests.conftest import fixture

SECOND_OVERFLOW = """
// Total is the second overflow: the head commit adds it.
func Total() int {
	return maxPartSize * maxNumSize * 2
}
"""


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-c", "user.name=crossvet tests",
                           "-c", "user.email=tests@crossvet.invalid", "-c", "commit.gpgsign=false",
                           "-c", "init.defaultBranch=main", *args],
                          cwd=repo, capture_output=True, text=True, check=True, timeout=60)
    return proc.stdout


def two_commits(tmp_path: Path, extra: Mapping[str, str] | None = None) -> Path:
    """base: the overflow fixture (one overflow) and the `extra` files; head: a second overflow
    in a new function."""
    repo = tmp_path / "repo"
    shutil.copytree(fixture("overflow"), repo)
    for name, text in (extra or {}).items():
        (repo / name).write_text(text)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base: one overflow")
    src = repo / "s3" / "minio.go"
    src.write_text(src.read_text() + SECOND_OVERFLOW)
    git(repo, "commit", "-qam", "head: a second overflow")
    return repo
