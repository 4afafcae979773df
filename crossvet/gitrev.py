"""`--new-from-rev REV`: the baseline is REV's own run, checked in a temporary `git worktree`.

git runs through the one subprocess wrapper (checker/proc.py). A revision that is not in the
clone (a shallow CI checkout has one commit) is a usage error that says how to fetch it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from checker import proc
from matrix.errors import InfraError, UsageError


@dataclass(frozen=True, kw_only=True)
class Rev:
    name: str  # as given: origin/main, HEAD~1
    commit: str  # the full commit id it names
    root: str  # the repository's top level
    subdir: str  # the module's directory inside it ("." at the top)


def git(args: Sequence[str], *, cwd: str, env: Mapping[str, str]) -> proc.ProcResult:
    return proc.run(["git", *args], env=env, cwd=cwd)


def fetch_hint(rev: str) -> str:
    remote, _, branch = rev.partition("/")
    fetch = (f"git fetch --depth=1 {remote} {branch}" if branch and remote == "origin"
             else "git fetch --depth=1 origin main")
    return ("fetch it first: in GitHub Actions give actions/checkout `fetch-depth: 0`, or run "
            f"`{fetch}`")


def resolve(module_dir: str, rev: str, env: Mapping[str, str]) -> Rev:
    """The commit `rev` names, in the repository that holds `module_dir`."""
    top = git(["rev-parse", "--show-toplevel"], cwd=module_dir, env=env)
    if top.exit_code != 0:
        raise UsageError(f"--new-from-rev needs a git checkout: {module_dir} is not in one "
                         f"({top.stderr.strip()})")
    root = top.stdout.strip()
    found = git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
                cwd=module_dir, env=env)
    if found.exit_code != 0:
        shallow = git(["rev-parse", "--is-shallow-repository"], cwd=module_dir,
                      env=env).stdout.strip() == "true"
        why = (": this is a shallow clone (CI checkouts fetch a single commit by default)"
               if shallow else "")
        raise UsageError(f"the revision {rev!r} is not in this clone{why}; {fetch_hint(rev)}")
    subdir = os.path.relpath(os.path.realpath(module_dir), os.path.realpath(root))
    return Rev(name=rev, commit=found.stdout.strip(), root=root, subdir=subdir)


def merge_base(module_dir: str, a: str, b: str, env: Mapping[str, str]) -> str:
    """The best common ancestor of two revisions, "" when git cannot tell (shallow history)."""
    r = git(["merge-base", "--end-of-options", a, b], cwd=module_dir, env=env)
    return r.stdout.strip() if r.exit_code == 0 else ""


@contextlib.contextmanager
def worktree(rev: Rev, env: Mapping[str, str]) -> Iterator[str]:
    """A detached checkout of the revision in a temporary directory, removed afterwards."""
    tmp = tempfile.mkdtemp(prefix="crossvet-base-")
    path = os.path.join(tmp, "tree")
    added = git(["worktree", "add", "--detach", "--quiet", path, rev.commit], cwd=rev.root,
                env=env)
    try:
        if added.exit_code != 0:
            raise InfraError(f"cannot check out {rev.name} in a git worktree: "
                             f"{added.stderr.strip()}")
        yield path
    finally:
        if added.exit_code == 0:
            git(["worktree", "remove", "--force", path], cwd=rev.root, env=env)
        shutil.rmtree(tmp, ignore_errors=True)
        git(["worktree", "prune"], cwd=rev.root, env=env)
