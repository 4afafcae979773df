"""bench/scale.py does not call a run that checked nothing a measurement."""

from __future__ import annotations

from bench.scale import unlisted


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
