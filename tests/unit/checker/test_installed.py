"""Installed distributions' versions without importlib.metadata (checker/installed.py)."""

from __future__ import annotations

import importlib.metadata
import sys
from pathlib import Path

import pytest

from checker import installed


@pytest.mark.parametrize("name", ["httpx", "PyYAML", "pyyaml", "junit-xml", "junit_xml",
                                  "tabulate", "ziglang"])
def test_the_same_version_as_importlib_metadata(name: str) -> None:
    assert installed.version(name) == importlib.metadata.version(name)


def test_not_installed_is_empty() -> None:
    assert installed.version("no-such-distribution-here") == ""


def test_the_first_directory_along_the_path_wins_as_for_importlib(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    (first / "Foo_Bar-1.2.dist-info").mkdir(parents=True)
    (second / "foo_bar-9.0.dist-info").mkdir(parents=True)
    assert installed._from_dirs("foo-bar", [str(tmp_path / "missing"), str(first),
                                            str(second)]) == "1.2"
    assert installed._from_dirs("foo.bar", [str(second), str(first)]) == "9.0"
    assert installed._from_dirs("foo-baz", [str(first)]) is None


def test_a_source_trees_egg_info_is_read_as_importlib_reads_it(tmp_path: Path) -> None:
    egg = tmp_path / "Foo.egg-info"
    egg.mkdir()
    (egg / "PKG-INFO").write_text("Metadata-Version: 2.1\nName: foo\nVersion: 3.1.4\n\n"
                                  "Version: 9 (the description, not a header)\n")
    assert installed._from_dirs("foo", [str(tmp_path)]) == "3.1.4"
    sys.path.insert(0, str(tmp_path))
    try:
        assert importlib.metadata.version("foo") == "3.1.4"
    finally:
        sys.path.remove(str(tmp_path))


@pytest.mark.parametrize("names", [
    ["foo.egg-info"],  # with no PKG-INFO to read: importlib.metadata says what that means
    ["foo-1.0.dist-info", "foo-2.0.dist-info"],  # two: which one importlib takes is its call
    ["foo.dist-info"],  # no version in the name
])
def test_any_other_layout_is_left_to_importlib_metadata(tmp_path: Path,
                                                        names: list[str]) -> None:
    for n in names:
        (tmp_path / n).mkdir()
    assert installed._from_dirs("foo", [str(tmp_path)]) is None


def test_a_zip_on_the_path_is_left_to_importlib_metadata(tmp_path: Path) -> None:
    (tmp_path / "lib.zip").write_bytes(b"PK")
    (tmp_path / "d" / "foo-1.0.dist-info").mkdir(parents=True)
    assert installed._from_dirs("foo", [str(tmp_path / "lib.zip"), str(tmp_path / "d")]) is None


def test_crossvet_itself() -> None:
    found = installed._from_dirs("crossvet", sys.path)
    assert found is None or found == importlib.metadata.version("crossvet")
