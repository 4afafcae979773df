"""toolchain.find keeps `go env GOROOT GOVERSION GOMODCACHE`'s answer in the cache directory and
asks go again whenever something that answer depends on changes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from checker import toolchain


class FakeGo:
    """A `go` at <tmp>/goroot/bin/go that answers `go env GOROOT GOVERSION GOMODCACHE` from
    its own script text and counts how often it was started."""

    def __init__(self, tmp_path: Path, version: str = "go1.22.1") -> None:
        self.goroot = tmp_path / "goroot"
        (self.goroot / "bin").mkdir(parents=True)
        self.path = self.goroot / "bin" / "go"
        self.calls = tmp_path / "calls"
        self.cache = str(tmp_path / "cache")
        self.env = {"PATH": os.defpath, "HOME": str(tmp_path / "home")}
        self.write(version)

    def write(self, version: str) -> None:
        self.path.write_text(f"#!/bin/sh\necho x >> {self.calls}\n"
                             f"printf '%s\\n%s\\n%s\\n' '{self.goroot}' '{version}' "
                             f"\"${{GOMODCACHE:-$HOME/go/pkg/mod}}\"\n")
        self.path.chmod(self.path.stat().st_mode | stat.S_IXUSR)

    def find(self, **env: str) -> toolchain.Toolchain:
        return toolchain.find({**self.env, **env}, str(self.path), cache_dir=self.cache)

    @property
    def started(self) -> int:
        return len(self.calls.read_text().splitlines()) if self.calls.exists() else 0


@pytest.fixture
def go(tmp_path: Path) -> FakeGo:
    return FakeGo(tmp_path)


def test_a_second_find_does_not_start_go(go: FakeGo) -> None:
    first = go.find()
    assert go.find() == first
    assert first.version == (1, 22, 1) and first.goroot == str(go.goroot)
    assert first.modcache == go.env["HOME"] + "/go/pkg/mod"
    assert go.started == 1


def test_no_cache_dir_asks_every_time(go: FakeGo) -> None:
    for _ in range(2):
        toolchain.find(go.env, str(go.path))
    assert go.started == 2


def test_a_replaced_go_binary_is_asked_again(go: FakeGo) -> None:
    go.find()
    go.write("go1.23.4")  # a new Go installed at the same path: new size and mtime
    assert go.find().version == (1, 23, 4)
    assert go.started == 2


def test_the_same_size_with_a_new_mtime_is_asked_again(go: FakeGo) -> None:
    go.find()
    st = go.path.stat()
    os.utime(go.path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    go.find()
    assert go.started == 2


@pytest.mark.parametrize("var", ["GOROOT", "GOMODCACHE", "GOPATH", "GOENV", "XDG_CONFIG_HOME",
                                 "HOME"])
def test_a_variable_go_env_reads_is_part_of_the_key(go: FakeGo, var: str, tmp_path: Path
                                                    ) -> None:
    go.find()
    elsewhere = go.find(**{var: str(tmp_path / "elsewhere")})
    assert go.started == 2
    if var == "GOMODCACHE":
        assert elsewhere.modcache == str(tmp_path / "elsewhere")


def test_an_edited_go_env_file_is_asked_again(go: FakeGo) -> None:
    env_file = Path(go.env["HOME"]) / ".config" / "go" / "env"
    env_file.parent.mkdir(parents=True)
    env_file.write_text("GOPROXY=off\n")
    go.find()
    go.find()
    env_file.write_text("GOROOT=/elsewhere\n")
    go.find()
    assert go.started == 2


@pytest.mark.parametrize("gotoolchain", ["auto", "go1.23.4", "path"])
def test_a_switching_toolchain_is_never_cached(go: FakeGo, gotoolchain: str) -> None:
    go.find(GOTOOLCHAIN=gotoolchain)
    go.find(GOTOOLCHAIN=gotoolchain)
    assert go.started == 2


def test_a_corrupt_cache_entry_is_asked_again(go: FakeGo) -> None:
    go.find()
    for entry in Path(go.cache, "toolchain").iterdir():
        entry.write_text("{not json")
    assert go.find().version == (1, 22, 1)
    assert go.started == 2
