"""`analyzers:` end to end (docs/lint.md): tests/fixtures/lintmod's own analyzers, built into
the engine against the Go distribution's vendored x/tools (offline), on three targets: merge
rules across targets, facts across packages, an inline suppression, the cached build reused
and rebuilt, and a module that is not there."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CliRunner, fixture
from tests.helpers.xtools import local_xtools, use_xtools

TARGETS = "linux/amd64,windows/amd64,darwin/arm64"


@pytest.fixture(scope="module")
def module(tmp_path_factory: pytest.TempPathFactory, go_env: dict[str, str]) -> Path:
    root = tmp_path_factory.mktemp("lint")
    xtools, version = local_xtools(go_env, root / "xtools")
    mod = root / "lintmod"
    shutil.copytree(fixture("lintmod"), mod)
    use_xtools(mod, xtools, version)
    return mod


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lintcache")


def _check(cli: CliRunner, module: Path, cache: Path, tmp: Path,
           analyzers: str) -> tuple[int, str, dict[str, Any]]:
    out = tmp / "results.json"
    res = cli("check", str(module), "--targets", TARGETS, "--analyzers", analyzers,
              "--json", str(out), env={"CROSSVET_CACHE_DIR": str(cache)})
    return res.code, res.err, json.loads(out.read_text())


def _lint(data: dict[str, Any]) -> dict[tuple[str, int, str], tuple[list[str], bool]]:
    return {(f["file"], f["line"], f["analyzer"]): (f["targets"], f["suppressed"] is not None)
            for f in data["findings"] if f["category"] == "lint"}


def test_merge_all_reports_what_holds_on_every_target(cli: CliRunner, module: Path,
                                                      cache: Path, tmp_path: Path) -> None:
    code, _, data = _check(cli, module, cache, tmp_path, "./tools/lint")
    every = ["linux/amd64", "windows/amd64", "darwin/arm64"]
    assert _lint(data) == {
        ("p/p.go", 7, "unusedfunc"): (every, False),  # dead: unused everywhere
        # unused on every target that builds p_linux.go (of these three, linux/amd64)
        ("p/p_linux.go", 3, "unusedfunc"): (["linux/amd64"], False),
        ("cmd/app/main.go", 6, "exitcall"): (every, False),  # p's fact, seen by cmd/app
        ("cmd/app/main.go", 7, "exitcall"): (every, True),  # suppressed inline
        ("cmd/app/main.go", 9, "exitcall"): (every, True),  # by staticcheck's //lint:ignore
    }
    assert code == 1
    dead = next(f for f in data["findings"] if f["analyzer"] == "unusedfunc")
    assert dead["url"] == "https://example.com/lint#unusedfunc"
    assert dead["url"] in dead["explanation"]


def test_merge_any_reports_each_target_where_it_holds(cli: CliRunner, module: Path,
                                                      cache: Path, tmp_path: Path) -> None:
    _, _, data = _check(cli, module, cache, tmp_path, "./tools/lint,unusedfunc=any")
    unused = {k[:2]: v[0] for k, v in _lint(data).items() if k[2] == "unusedfunc"}
    assert unused == {
        ("p/p.go", 5): ["linux/amd64", "darwin/arm64"],  # helper: used in p_windows.go
        ("p/p.go", 7): ["linux/amd64", "windows/amd64", "darwin/arm64"],
        ("p/p_linux.go", 3): ["linux/amd64"],
    }


def test_the_build_is_cached_and_rebuilt_when_the_analyzers_change(
        cli: CliRunner, module: Path, cache: Path, tmp_path: Path) -> None:
    def builds() -> set[str]:
        return {p.name for p in (cache / "engine").glob("engine-*-lint-*")
                if p.is_file() and not p.name.endswith(".vetprep")}

    _check(cli, module, cache, tmp_path, "./tools/lint")
    before = builds()
    _check(cli, module, cache, tmp_path, "./tools/lint")
    assert builds() == before
    src = module / "tools" / "lint" / "lint.go"
    original = src.read_text()
    try:
        src.write_text(original.replace('"func %s is unused"', '"func %s is never used"'))
        data = _check(cli, module, cache, tmp_path, "./tools/lint")[2]
        assert len(builds()) == len(before) + 1
        assert any(f["message"] == "func dead is never used" for f in data["findings"])
    finally:
        src.write_text(original)


def test_a_module_not_available_is_a_clear_error(cli: CliRunner, module: Path, cache: Path,
                                                 tmp_path: Path) -> None:
    res = cli("check", str(module), "--targets", TARGETS, "--analyzers",
              "honnef.co/go/tools/staticcheck", env={"CROSSVET_CACHE_DIR": str(cache)})
    assert res.code == 2, res.err  # the config's error, said once, before any finding
    assert res.err.count("honnef.co/go/tools/staticcheck: no required module provides") == 1
    assert "go get -tool" in res.err
