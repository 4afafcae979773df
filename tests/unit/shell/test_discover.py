"""crossvet/discover.py: which modules a directory holds (a module, a go.work, a tree)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crossvet import discover
from matrix.errors import ConfigError, UsageError
from tests.helpers import monorepo


def test_a_module_root_is_a_run_of_one_module(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module example.com/m\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "go.mod").write_text("module example.com/sub\n")
    layout = discover.discover(str(tmp_path), ())
    assert layout.kind == discover.MODULE and not layout.several
    assert [(m.dir, m.path) for m in layout.modules] == [(".", "example.com/m")]


def test_a_workspace_is_its_used_modules(tmp_path: Path) -> None:
    monorepo.write(tmp_path, tools=True)
    layout = discover.discover(str(tmp_path), ())
    assert layout.kind == discover.WORKSPACE and layout.several
    assert [(m.dir, m.path) for m in layout.modules] == [
        ("app", "example.com/app"), ("calc", "example.com/calc"), ("lib", "example.com/lib")]
    assert layout.problems == ()


def test_modules_all_walks_the_tree_skipping_what_go_skips(tmp_path: Path) -> None:
    monorepo.write(tmp_path, gowork=False, tools=True, extra={
        f"{d}/go.mod": f"module example.com/{d.replace('/', '_')}\n"
        for d in ("testdata/m", "vendor/m", ".hidden", "_old", "app/testdata/x")})
    layout = discover.discover(str(tmp_path), ("all",))
    assert [m.dir for m in layout.modules] == ["app", "calc", "lib", "tools"]
    layout = discover.discover(str(tmp_path), ("all", "!tools"))
    assert [m.dir for m in layout.modules] == ["app", "calc", "lib"]


def test_problems_of_a_workspace(tmp_path: Path) -> None:
    monorepo.write(tmp_path, extra={
        "go.work": "go 1.22\n\nuse (\n\t./app\n\t./calc\n\t./lib\n\t./gone\n\t./copy\n)\n",
        "copy/go.mod": "module example.com/calc\n"})
    layout = discover.discover(str(tmp_path), ())
    assert dict(layout.problems) == {
        "gone": "gone: listed by `use` in go.work but has no go.mod",
        "copy": "copy: module path example.com/calc is also the module path of calc; each "
                "module needs its own path"}
    assert [m.dir for m in layout.checkable] == ["app", "calc", "lib"]


def test_neither_module_nor_workspace(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"is not a Go module root \(no go.mod\) nor a "
                                         r"workspace.*--modules all"):
        discover.discover(str(tmp_path), ())


def test_a_directory_inside_a_module_names_the_module_root(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module example.com/m\n")
    (tmp_path / "internal" / "x").mkdir(parents=True)
    with pytest.raises(UsageError) as err:
        discover.discover(str(tmp_path / "internal" / "x"), ())
    assert str(err.value) == (
        f"{tmp_path}/internal/x is inside the module at {tmp_path}, not its root: run "
        f"`crossvet check {tmp_path}` (with `--packages ./internal/x/...` for only this "
        "directory)")


def test_a_module_keeps_its_own_config(tmp_path: Path) -> None:
    monorepo.write(tmp_path, extra={"calc/.crossvet.yaml": "targets: linux/386\n"})
    layout = discover.discover(str(tmp_path), ())
    calc, = (m for m in layout.modules if m.dir == "calc")
    app, = (m for m in layout.modules if m.dir == "app")
    assert discover.own_config(layout, calc) == ("targets: linux/386\n", "calc/.crossvet.yaml")
    assert discover.own_config(layout, app) is None


def test_a_workspace_of_only_the_root_is_a_run_of_one_module(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module example.com/m\n")
    (tmp_path / "go.work").write_text("go 1.22\n\nuse .\n")
    layout = discover.discover(str(tmp_path), ())
    assert layout.kind == discover.WORKSPACE and not layout.several
    (tmp_path / "go.work").write_text("go 1.22\n\nuse (\n\t.\n\t./tools\n)\n")
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "go.mod").write_text("module example.com/m/tools\n")
    layout = discover.discover(str(tmp_path), ())
    assert layout.several and [m.dir for m in layout.modules] == [".", "tools"]


def test_a_modules_own_config_is_read_like_the_roots(tmp_path: Path) -> None:
    """The same checks as any config file: UTF-8, at most 1 MiB, named in the error."""
    layout = discover.discover(str(monorepo.write(tmp_path)), ())
    calc = next(m for m in layout.modules if m.dir == "calc")
    (tmp_path / "calc" / ".crossvet.yaml").write_bytes(b"targets: \xff\n")
    with pytest.raises(ConfigError, match=r"not UTF-8 text") as bad:
        discover.own_config(layout, calc)
    assert str(bad.value).startswith("calc/.crossvet.yaml")
    (tmp_path / "calc" / ".crossvet.yaml").write_text("#" * (1 << 20) + "\n")
    with pytest.raises(ConfigError, match=r"too big for a config file"):
        discover.own_config(layout, calc)
