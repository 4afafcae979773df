"""The floor plan (docs/architecture.md): every import points down.

    crossvet (shell) -> reports (render, pure) -> checker (run) -> matrix (plan, pure)

A module may import its own package and the packages below it, never one above. The pure
floors also stay away from the libraries that do I/O.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

FLOORS = ("matrix", "checker", "reports", "crossvet")  # bottom to top
IO_LIBRARIES = {"subprocess", "httpx", "docker", "requests", "socket", "tempfile"}
PURE = {"matrix", "reports"}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def modules() -> list[tuple[str, Path]]:
    return [(floor, p) for floor in FLOORS for p in sorted((ROOT / floor).rglob("*.py"))]


def upward(floor: str, path: Path) -> list[str]:
    allowed = FLOORS[:FLOORS.index(floor) + 1]
    return sorted(name for name in imports(path)
                  if name.split(".")[0] in FLOORS and name.split(".")[0] not in allowed)


@pytest.mark.parametrize(("floor", "path"), modules(),
                         ids=lambda v: str(v.relative_to(ROOT)) if isinstance(v, Path) else "")
def test_no_import_points_up(floor: str, path: Path) -> None:
    assert upward(floor, path) == []


@pytest.mark.parametrize(("floor", "path"), [m for m in modules() if m[0] in PURE],
                         ids=lambda v: str(v.relative_to(ROOT)) if isinstance(v, Path) else "")
def test_pure_floors_do_no_io(floor: str, path: Path) -> None:
    assert sorted(n for n in imports(path) if n.split(".")[0] in IO_LIBRARIES) == []


def test_the_check_finds_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from crossvet import cli\nimport reports.results\nfrom matrix import plan\n")
    assert upward("checker", bad) == ["crossvet", "reports.results"]
    assert upward("crossvet", bad) == []
