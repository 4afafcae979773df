"""The `release` preset reproduces goreleaser's (v2) build matrix."""

from __future__ import annotations

import pytest

from matrix.errors import ConfigError
from matrix.goreleaser import release_targets
from matrix.presets import presets
from tests.conftest import FIXTURES
from tests.unit.matrix.test_selectors import PORTS


def names(text: str) -> list[str]:
    return [t.name for t in release_targets(text)]


def test_fixture_with_ignore_and_goarm_gives_goreleasers_matrix() -> None:
    text = (FIXTURES / "tagsets" / ".goreleaser.yaml").read_text()
    # goos x goarch, GOARM 6 and 7 for arm, minus `ignore` and the invalid darwin/arm,
    # with goreleaser's default variants (v1, sse2, v8.0) filled in.
    assert names(text) == [
        "linux_amd64_v1", "linux_arm_6", "linux_arm64_v8.0", "linux_386_sse2",
        "windows_amd64_v1", "windows_arm64_v8.0", "windows_386_sse2",
        "darwin_amd64_v1", "darwin_arm64_v8.0",
    ]
    ids = [t.id for t in presets(PORTS, goreleaser_text=text)["release"]()]
    assert ids == ["linux/amd64/v1", "linux/arm/v6", "linux/arm64/v8.0", "linux/386/sse2",
                   "windows/amd64/v1", "windows/arm64/v8.0", "windows/386/sse2",
                   "darwin/amd64/v1", "darwin/arm64/v8.0"]


@pytest.mark.parametrize(("yaml_text", "expected"), [
    ("version: 2\n", [  # no builds: one build with goreleaser's defaults
        "linux_amd64_v1", "linux_arm64_v8.0", "linux_386_sse2", "darwin_amd64_v1",
        "darwin_arm64_v8.0", "windows_amd64_v1", "windows_arm64_v8.0", "windows_386_sse2"]),
    ("builds: [{goos: [linux], goarch: [amd64], goamd64: [v1, v3]}]\n",
     ["linux_amd64_v1", "linux_amd64_v3"]),
    ("builds: [{goos: [linux], goarch: [mips, mips64le], gomips: [softfloat],"
     " ignore: [{goarch: mips64le, gomips: softfloat}]}]\n", ["linux_mips_softfloat"]),
    ("builds: [{goos: [linux], goarch: [arm], goarm: ['5', '7'], ignore: [{goarm: '5'}]}]\n",
     ["linux_arm_7"]),
    ("builds: [{targets: [go_first_class, linux_riscv64]}]\n", [
        "darwin_amd64_v1", "darwin_arm64_v8.0", "linux_386_sse2", "linux_amd64_v1",
        "linux_arm64_v8.0", "linux_arm_6", "linux_riscv64_rva20u64", "windows_386_sse2",
        "windows_amd64_v1"]),
    ("builds: [{targets: [linux_amd64_v2], goos: [darwin], ignore: [{goos: linux}]}]\n",
     ["linux_amd64_v2"]),  # targets wins over goos/ignore, as in goreleaser
    ("builds: [{goos: [linux], goarch: [amd64]}, {builder: rust, goos: [darwin]},"
     " {goos: [linux], goarch: [amd64, s390x]}]\n", ["linux_amd64_v1", "linux_s390x"]),
])
def test_goreleaser_rules(yaml_text: str, expected: list[str]) -> None:
    assert names(yaml_text) == expected


def test_unsupported_target_is_a_note_not_a_job() -> None:
    notes: list[str] = []
    text = "builds: [{goos: [windows], goarch: [arm, amd64]}]\n"
    ids = [t.id for t in presets(PORTS, goreleaser_text=text, notes=notes)["release"]()]
    assert ids == ["windows/amd64/v1"]
    assert notes == [".goreleaser.yaml builds windows_arm_6, which this Go toolchain does not "
                     "support: not checked"]


@pytest.mark.parametrize("bad", ["builds: 3\n", "builds: [{goos: {a: 1}}]\n", "- a\n",
                                 "builds: [{ignore: [linux]}]\n", "a: [\n"])
def test_bad_goreleaser_file(bad: str) -> None:
    with pytest.raises(ConfigError):
        release_targets(bad)
