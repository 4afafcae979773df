"""Selectors, presets and variants: pure, table-driven, against a recorded Go 1.27.3 port list."""

from __future__ import annotations

import pytest

from matrix import variants
from matrix.errors import UsageError
from matrix.presets import presets
from matrix.selectors import expand_braces, select, split_items
from matrix.targets import Target, parse_dist_list
from tests.conftest import FIXTURES

PORTS = parse_dist_list((FIXTURES / "distlist-go1.27.3.json").read_text())
ALL = [p.id for p in PORTS]


def ids(text: str) -> list[str]:
    return [t.id for t in select(text, PORTS, presets(PORTS)).targets]


@pytest.mark.parametrize(("text", "expected"), [
    ("linux/386", ["linux/386"]),
    ("linux/386,linux/amd64,linux/386", ["linux/386", "linux/amd64"]),
    ("{linux,darwin}/arm64", ["linux/arm64", "darwin/arm64"]),
    ("windows/*", ["windows/386", "windows/amd64", "windows/arm64"]),
    ("*/wasm", ["js/wasm", "wasip1/wasm"]),
    ("plan9/arm*", ["plan9/arm"]),
    ("linux/mips{,le}", ["linux/mips", "linux/mipsle"]),
    ("linux/arm/v6", ["linux/arm/v6"]),
    ("linux/arm/6", ["linux/arm/v6"]),
    ("linux/amd64/v3", ["linux/amd64/v3"]),
    ("linux/386/softfloat", ["linux/386/softfloat"]),
    ("linux/arm64/v8", ["linux/arm64/v8.0"]),
    ("linux/mipsle/softfloat", ["linux/mipsle/softfloat"]),
    ("linux/arm/{v5,v6,v7}", ["linux/arm/v5", "linux/arm/v6", "linux/arm/v7"]),
    ("linux/arm,linux/arm/v6", ["linux/arm", "linux/arm/v6"]),
    ("32bit", [p for p in ALL if p.split("/")[1] in ("386", "arm", "mips", "mipsle")]),
    ("32bit,!linux/*", [p for p in ALL if p.split("/")[1] in ("386", "arm", "mips", "mipsle")
                        and not p.startswith("linux/")]),
    ("first-class", ["darwin/amd64", "darwin/arm64", "linux/386", "linux/amd64", "linux/arm",
                     "linux/arm64", "windows/386", "windows/amd64"]),
    ("!linux/*,first-class", ["darwin/amd64", "darwin/arm64", "windows/386", "windows/amd64"]),
    ("all,!*/mips*", [p for p in ALL if "/mips" not in p]),
    ("linux/arm/v6,linux/arm/v7,!linux/arm/v7", ["linux/arm/v6"]),
    ("linux/arm/v6,linux/arm/v7,!linux/arm", None),  # a platform drops its variants
])
def test_select(text: str, expected: list[str] | None) -> None:
    if expected is None:
        with pytest.raises(UsageError, match="leaves no targets"):
            ids(text)
        return
    assert ids(text) == expected


def test_presets_partition_the_ports() -> None:
    p = presets(PORTS)
    bits32 = {t.id for t in p["32bit"]()}
    bits64 = {t.id for t in p["64bit"]()}
    assert bits32 and bits64 and not bits32 & bits64
    assert bits32 | bits64 == set(ALL)
    assert {t.id for t in p["all"]()} == set(ALL)
    cgo = {t.id for t in p["cgo"]()}
    assert "linux/amd64" in cgo and "js/wasm" not in cgo


@pytest.mark.parametrize(("text", "message"), [
    ("linx/386", "did you mean linux/386"),
    ("first-clas", "did you mean first-class"),
    ("plan9/arm64", "unknown target"),
    ("linux/riscv64/rva99u64", "bad variant"),
    ("linux/s390x/v2", "has no variants"),
    ("linux/arm/v8", "expected one of v5, v6, v7"),
    ("linux", r"unknown target.*\n  linux \(did you mean linux/\*\?\)"),
    ("arm64", r"\(did you mean \*/arm64\?\)"),
    ("linu", r"\(did you mean linux/\*\?\)"),
    ("windws", r"\(did you mean windows/\*\?\)"),
    ("a/b/c/d", "expected GOOS/GOARCH"),
    ("{linux/386", "unbalanced"),
    ("!", "bad target selector"),
    ("", "empty selector"),
    ("!bogus/*", "no target matches"),
    ("release", "needs a .goreleaser.yaml"),
])
def test_select_errors(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        ids(text)


def test_sources_record_every_selector_that_chose_a_target() -> None:
    sel = select("linux/*,*/amd64", PORTS, presets(PORTS))
    assert sel.sources["linux/amd64"] == ("linux/*", "*/amd64")
    assert sel.sources["linux/386"] == ("linux/*",)


def test_brace_and_comma_splitting() -> None:
    assert split_items("a/{b,c},d/e") == ["a/{b,c}", "d/e"]
    assert expand_braces("{a,b}/{c,d}") == ["a/c", "a/d", "b/c", "b/d"]
    assert expand_braces("x/arm{,64}") == ["x/arm", "x/arm64"]


@pytest.mark.parametrize(("target", "env"), [
    ("linux/arm/v6", {"GOARM": "6"}),
    ("linux/amd64/v3", {"GOAMD64": "v3"}),
    ("linux/386/softfloat", {"GO386": "softfloat"}),
    ("linux/mips/softfloat", {"GOMIPS": "softfloat"}),
    ("linux/mips64le/hardfloat", {"GOMIPS64": "hardfloat"}),
    ("linux/arm64/v8.0", {"GOARM64": "v8.0"}),
    ("linux/amd64", {}),
])
def test_variant_environment(target: str, env: dict[str, str]) -> None:
    t = Target.parse(target)
    assert t.env() == {"GOOS": t.goos, "GOARCH": t.goarch, **env}
    if t.variant:
        assert variants.normalize(t.goarch, t.variant) == t.variant


@pytest.mark.parametrize(("goarch", "value", "want"), [
    ("arm", "7", "v7"),
    ("arm", "7,hardfloat", "v7"),  # Go 1.22 and 1.23 name the default float mode
    ("arm", "5,softfloat", "v5"),
    ("arm", "7,softfloat", "7,softfloat"),  # not a variant crossvet spells: left as it is
    ("amd64", "v1", "v1"),
    ("386", "sse2", "sse2"),
])
def test_a_go_env_variant_reads_as_a_target_id_does(goarch: str, value: str, want: str) -> None:
    assert variants.from_go_env(goarch, value) == want
