"""bench/scale.py does not call a run that checked nothing a measurement."""

from __future__ import annotations

from bench.scale import unlisted
from bench.typecheck_bench import Proc, tree_rss


def test_a_run_whose_targets_have_packages_is_a_measurement() -> None:
    assert unlisted([{"name": "linux/amd64", "packages": ["m/a"], "diagnostics": []},
                     {"name": "linux/386", "packages": ["m/a"], "error": ""}]) == ""


def test_a_target_that_was_not_listed_is_named_with_its_error() -> None:
    why = unlisted([{"name": "linux/amd64", "packages": ["m/a"]},
                    {"name": "js/wasm", "packages": [], "error": "go list failed: boom"}])
    assert why == "js/wasm: go list failed: boom"


def test_a_target_with_no_package_says_what_go_list_said() -> None:
    # a module outside the go.work given: go list answers with one error for the pattern
    msg = "pattern ./...: directory prefix . does not contain modules listed in go.work"
    why = unlisted([{"name": "linux/amd64", "packages": [],
                     "diagnostics": [{"kind": "list", "message": msg}]}])
    assert why == f"linux/amd64: {msg}"
    assert unlisted([{"name": "linux/amd64"}]) == "linux/amd64: no packages"


def test_a_child_that_has_not_execd_is_its_parents_memory_not_more() -> None:
    """The benches' summed RSS counts each process once: a child seen between clone and exec
    (same command, same address space as its parent) reports its parent's RSS and is left out;
    an exec'd child counts, and so does nothing outside the tree."""
    mb = 2**20
    procs = {
        100: Proc(ppid=1, comm="python", vsize=50 * mb, rss=30 * mb),  # the bench
        101: Proc(ppid=100, comm="engine", vsize=1700 * mb, rss=440 * mb),
        102: Proc(ppid=101, comm="engine", vsize=1700 * mb, rss=440 * mb),  # not exec'd yet
        103: Proc(ppid=101, comm="go", vsize=1200 * mb, rss=12 * mb),  # go list
        104: Proc(ppid=103, comm="go", vsize=900 * mb, rss=5 * mb),  # exec'd, same name
        200: Proc(ppid=1, comm="other", vsize=10 * mb, rss=99 * mb),
    }
    assert tree_rss(procs, 100) == (440 + 12 + 5) * mb
