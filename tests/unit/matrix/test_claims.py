"""The `claimed` preset: build-constraint parsing, the ports a file, a goreleaser file and a
workflow claim, and the reasons the plan shows. Pure, against the recorded Go 1.27.3 ports."""

from __future__ import annotations

import pytest

from matrix import constraints, workflows
from matrix.claims import MAX_FILES_SHOWN, ModuleFacts, SourceFile, claimed
from matrix.constraints import And, Not, Or, Tag, claim, file_expr, file_name_expr, parse
from tests.unit.matrix.test_selectors import PORTS

FIRST_CLASS = ["darwin/amd64", "darwin/arm64", "linux/386", "linux/amd64", "linux/arm",
               "linux/arm64", "windows/386", "windows/amd64"]
LINUX = sorted(p.id for p in PORTS if p.goos == "linux")


def test_parse_follows_gos_precedence() -> None:
    assert parse("a || b && !c") == Or(Tag("a"), And(Tag("b"), Not(Tag("c"))))
    assert parse("(a || b) && c") == And(Or(Tag("a"), Tag("b")), Tag("c"))
    assert parse("!(linux || darwin)") == Not(Or(Tag("linux"), Tag("darwin")))
    assert parse("!!plan9") == Not(Not(Tag("plan9")))
    assert parse(" go1.22 && amd64.v3 ") == And(Tag("go1.22"), Tag("amd64.v3"))


@pytest.mark.parametrize("text", ["", "a &&", "(a || b", "a b", "a || )", "a & b", "!"])
def test_parse_refuses_what_go_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="build constraint"):
        parse(text)


def ids(text: str) -> tuple[list[str], list[str]]:
    c = claim(parse(text), PORTS)
    return sorted(c.ports), sorted(c.arch_only)


@pytest.mark.parametrize(("text", "by_os", "by_arch"), [
    ("plan9", ["plan9/386", "plan9/amd64", "plan9/arm"], []),
    ("solaris || illumos", ["illumos/amd64", "solaris/amd64"], []),
    ("linux && arm64", ["linux/arm64"], []),
    ("(linux && 386) || (windows && amd64)", ["linux/386", "windows/amd64"], []),
    ("linux && !appengine", LINUX, []),  # other tags are free
    ("!windows", [], []),  # a negation claims nothing
    ("!windows && !plan9", [], []),
    ("!(linux || darwin)", [], []),
    ("!!plan9", ["plan9/386", "plan9/amd64", "plan9/arm"], []),  # even negations: positive
    ("linux && !linux", [], []),  # can never hold
    ("ignore && linux", [], []),  # `ignore` is never set
    ("purego || !s390x", [], []),
    ("wasm", [], ["js/wasm", "wasip1/wasm"]),
    ("amd64 && !purego", [], sorted(p.id for p in PORTS if p.goarch == "amd64")),
    ("zos || hurd", [], []),  # known to go/build, not ports of this toolchain
])
def test_a_constraint_claims_the_ports_it_names_positively(text: str, by_os: list[str],
                                                           by_arch: list[str]) -> None:
    assert ids(text) == (by_os, by_arch)


@pytest.mark.parametrize("text", [
    "linux && !s390x", "(linux || android) && arm64", "arm64 && !linux", "unix && !purego",
    "gc && (amd64 || arm64) && !windows", "(linux && cgo) || (darwin && !cgo) || mips",
    "!android && linux && go1.22", "ignore && linux", "linux && !linux", "solaris || illumos",
])
def test_a_claim_is_what_each_port_alone_says(text: str) -> None:
    """claim shares its answer among ports that agree on the expression's tags; each port asked
    alone (holds_on) must say the same."""
    expr = parse(text)
    named = constraints.positive_tags(expr)
    goos = {t for t in named if t in constraints.KNOWN_OS} | \
        (constraints.UNIX_OS if "unix" in named else set())
    goarch = {t for t in named if t in constraints.KNOWN_ARCH}
    by_os = {p.id for p in PORTS if p.goos in goos
             and constraints.holds_on(expr, p.goos, p.goarch, implied=True)}
    by_arch = {p.id for p in PORTS if p.goos not in goos and p.goarch in goarch
               and constraints.holds_on(expr, p.goos, p.goarch, implied=False)}
    assert ids(text) == (sorted(by_os), sorted(by_arch))
    assert by_os or by_arch or text in ("ignore && linux", "linux && !linux")


def test_unix_claims_every_unix_port_as_go_build_defines_it() -> None:
    by_os, _ = ids("unix")
    assert by_os == sorted(p.id for p in PORTS if p.goos in constraints.UNIX_OS)
    assert "aix/ppc64" in by_os and "illumos/amd64" in by_os and "ios/arm64" in by_os
    assert not any(p.startswith(("windows/", "plan9/", "js/", "wasip1/")) for p in by_os)
    # android files satisfy `linux` too (as ios files satisfy `darwin`)
    assert ids("unix && !linux")[0] == [p for p in by_os
                                        if not p.startswith(("linux/", "android/"))]


@pytest.mark.parametrize(("name", "expected"), [
    ("lock_plan9.go", Tag("plan9")),
    ("y_linux_386.go", And(Tag("linux"), Tag("386"))),
    ("y_linux_386_test.go", And(Tag("linux"), Tag("386"))),
    ("x_plan9_test.go", Tag("plan9")),
    ("dir/sub/asm_amd64.s", Tag("amd64")),
    ("x_linux.pb.go", Tag("linux")),
    ("linux.go", None),  # nothing before the first `_`: no constraint
    ("x_unix.go", None),  # `unix` is a build tag, not a file-name GOOS
    ("x_test.go", None),
    ("x_linux_foo.go", None),
    ("x_foo_amd64.go", Tag("amd64")),
])
def test_file_names_follow_go_build(name: str, expected: object) -> None:
    assert file_name_expr(name) == expected


def test_a_long_line_is_shown_by_the_name_that_claims_the_port() -> None:
    line = "freebsd || openbsd || netbsd || dragonfly || darwin"
    why = reasons(ModuleFacts(files=(SourceFile(path="backend_kqueue.go", build=line),)))
    assert why["dragonfly/amd64"] == ("//go:build … dragonfly … in backend_kqueue.go",)
    assert why["darwin/arm64"] == ("first-class", "//go:build … darwin … in backend_kqueue.go")
    short = reasons(ModuleFacts(files=(SourceFile(path="x.go", build="unix && !linux"),)))
    assert short["aix/ppc64"] == ("//go:build unix && !linux in x.go",)


def test_a_file_is_its_name_and_its_line() -> None:
    assert sorted(claim(file_expr("x_linux.go", "arm64 || 386"), PORTS).ports) == \
        ["linux/386", "linux/arm64"]
    # without //go:build, the // +build lines: spaces OR, commas AND, lines AND
    expr = file_expr("x.go", "", ("linux,386 darwin", "!cgo"))
    assert sorted(claim(expr, PORTS).ports) == ["darwin/amd64", "darwin/arm64", "linux/386"]
    # a //go:build line wins over // +build lines; an unreadable line claims nothing
    assert sorted(claim(file_expr("x.go", "plan9", ("linux",)), PORTS).ports)[0] == "plan9/386"
    assert claim(file_expr("x.go", "linux &&", ()), PORTS).ports == frozenset()


def reasons(facts: ModuleFacts, **kw: str) -> dict[str, tuple[str, ...]]:
    return dict(claimed(PORTS, facts, **kw).reasons)


def test_claimed_is_first_class_plus_what_the_files_claim_with_reasons() -> None:
    facts = ModuleFacts(files=(SourceFile(path="lock_plan9.go", package="bolt"),
                               SourceFile(path="x/y.go", build="solaris || illumos"),
                               SourceFile(path="z.go", build="!windows")))
    got = claimed(PORTS, facts)
    assert list(got.ids) == [*FIRST_CLASS, "illumos/amd64", "plan9/386", "plan9/amd64",
                             "plan9/arm", "solaris/amd64"]
    why = dict(got.reasons)
    assert why["linux/386"] == ("first-class", "32-bit")
    assert why["windows/amd64"] == ("first-class",)  # !windows adds nothing
    assert why["plan9/386"] == ("lock_plan9.go",)
    assert why["solaris/amd64"] == ("//go:build solaris || illumos in x/y.go",)


def test_without_facts_claimed_is_the_first_class_ports() -> None:
    assert list(claimed(PORTS, None).ids) == FIRST_CLASS


def test_a_goarch_named_alone_is_claimed_on_the_checked_gooses() -> None:
    facts = ModuleFacts(files=(SourceFile(path="a_mips64.go"), SourceFile(path="b_wasm.go"),
                               SourceFile(path="c_amd64.s"), SourceFile(path="d_plan9.go")))
    why = reasons(facts)
    # mips64 exists on linux (first-class GOOS): not on openbsd, which nothing claims
    assert "linux/mips64" in why and "openbsd/mips64" not in why
    # wasm exists on no checked GOOS: every port that has it
    assert why["js/wasm"] == ("b_wasm.go",) and why["wasip1/wasm"] == ("b_wasm.go",)
    # amd64 on the first-class GOOSes and plan9 (claimed by d_plan9.go), nowhere else
    assert why["plan9/amd64"] == ("d_plan9.go", "c_amd64.s")
    assert why["linux/amd64"] == ("first-class", "c_amd64.s")
    assert "freebsd/amd64" not in why and "solaris/amd64" not in why


def test_many_files_claiming_one_port_are_capped() -> None:
    facts = ModuleFacts(files=tuple(SourceFile(path=f"f{i}_plan9.go") for i in range(7)))
    why = reasons(facts)["plan9/arm"]
    assert why == (*(f"f{i}_plan9.go" for i in range(MAX_FILES_SHOWN)),
                   f"+{7 - MAX_FILES_SHOWN} more files")


def test_goreleaser_claims_what_it_builds() -> None:
    text = "builds:\n  - goos: [linux, freebsd]\n    goarch: [amd64, '386']\n"
    why = reasons(ModuleFacts(), goreleaser_text=text, goreleaser_source=".goreleaser.yml")
    assert why["freebsd/386"] == (".goreleaser.yml",)
    assert why["freebsd/amd64"] == (".goreleaser.yml",)
    assert why["linux/386"] == ("first-class", "32-bit", ".goreleaser.yml")
    assert "freebsd/arm" not in why


def test_an_unreadable_goreleaser_or_workflow_claims_nothing_and_says_so() -> None:
    facts = ModuleFacts(workflows=((".github/workflows/ci.yml", "jobs: [unclosed"),))
    got = claimed(PORTS, facts, goreleaser_text="builds: {a: 1}")
    assert list(got.ids) == FIRST_CLASS
    assert any(n.startswith(".goreleaser.yaml could not be read") for n in got.notes)
    assert any(n.startswith(".github/workflows/ci.yml could not be read") for n in got.notes)


CI = """
name: ci
on: [push]
env:
  GOTOOLCHAIN: local
jobs:
  cross:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        goos: [openbsd, netbsd]
        goarch: [amd64, "386"]
        include:
          - goos: plan9
            goarch: arm
        exclude:
          - goos: dragonfly
            goarch: amd64
    steps:
      - run: GOOS=${{ matrix.goos }} GOARCH=${{ matrix.goarch }} go build ./...
      - run: GOOS=aix GOARCH=ppc64 go vet ./...
  wasm:
    runs-on: ubuntu-latest
    env:
      GOOS: js
      GOARCH: wasm
    steps:
      - uses: docker/build-push-action@v6
        with:
          platforms: linux/riscv64,linux/s390x
      - run: echo notlinux/amd64x foo/bar
"""


def test_a_workflow_names_its_matrix_env_scripts_and_platforms() -> None:
    pairs = workflows.named_pairs(CI)
    assert set(pairs) == {("openbsd", "amd64"), ("openbsd", "386"), ("netbsd", "amd64"),
                          ("netbsd", "386"), ("plan9", "arm"), ("aix", "ppc64"),
                          ("js", "wasm"), ("linux", "riscv64"), ("linux", "s390x")}
    why = reasons(ModuleFacts(workflows=((".github/workflows/ci.yml", CI),)))
    for pid in ("openbsd/386", "netbsd/amd64", "plan9/arm", "aix/ppc64", "js/wasm",
                "linux/riscv64"):
        assert why[pid] == (".github/workflows/ci.yml",), pid
    assert "dragonfly/amd64" not in why  # named only in an exclude
    assert "plan9/386" not in why and "openbsd/arm" not in why


def test_a_workflow_goos_alone_claims_its_ports_and_never_invents_one() -> None:
    text = "jobs:\n  b:\n    strategy:\n      matrix:\n        GOOS: [freebsd, zos, beos]\n"
    assert workflows.named_pairs(text) == [("freebsd", ""), ("zos", "")]
    why = reasons(ModuleFacts(workflows=(("ci.yml", text),)))
    assert [p for p in why if p.startswith("freebsd/")] == \
        sorted(p.id for p in PORTS if p.goos == "freebsd")
    assert not any(p.startswith(("zos/", "beos/")) for p in why)


def test_links_main_follows_the_main_packages_constraints() -> None:
    facts = ModuleFacts(files=(SourceFile(path="cmd/tool/main.go", build="linux",
                                          package="main"),
                               SourceFile(path="gen.go", build="ignore", package="main"),
                               SourceFile(path="main_test.go", package="main")))
    assert facts.links_main("linux", "arm")
    assert facts.links_main("android", "386")  # android builds the linux files too
    assert not facts.links_main("ios", "arm64")
    assert not ModuleFacts(files=(SourceFile(path="x_plan9.go", package="x"),)).links_main(
        "plan9", "386")


def test_reusable_workflow_inputs_name_ports_but_runner_labels_do_not() -> None:
    text = """
jobs:
  build-openbsd:
    uses: ./.github/workflows/cross-arch-template.yaml
    with:
      os: openbsd
      archs: "['386','arm64']"
  test:
    strategy:
      matrix:
        os: [ubuntu-latest, windows-latest, macos-14]
    runs-on: ${{ matrix.os }}
"""
    assert workflows.named_pairs(text) == [("openbsd", "386"), ("openbsd", "arm64")]


def test_file_name_reasons_come_before_constraint_lines() -> None:
    facts = ModuleFacts(files=(SourceFile(path="a/a.go", build="plan9"),
                               SourceFile(path="z_plan9.go")))
    assert reasons(facts)["plan9/386"] == ("z_plan9.go", "//go:build plan9 in a/a.go")


@pytest.mark.parametrize("text", [
    "jobs:\n  b:\n    env: {GOOS: plan9, GOARCH: arm}\n    steps: [{run: 'GOOS=aix go vet'}]\n",
    "on: push\njobs:\n  b:\n    strategy: {matrix: {goos: [netbsd, solaris], x: &a [1, 2]}}\n"
    "    y: *a\n",
    "jobs: [unclosed\n",  # not YAML
    "a: b: c\n",
])
def test_libyamls_loader_reads_a_workflow_as_pyyamls_own_does(
        text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """workflows.named_pairs takes libyaml's safe loader when PyYAML has one (a tenth of the
    time); without it (monkeypatched away), the answer and the refusals are the same."""
    import yaml  # noqa: PLC0415 (the library under the module under test)

    def pairs() -> list[workflows.Pair] | str:
        try:
            return workflows.named_pairs(text)
        except ValueError:
            return "not YAML"
    assert hasattr(yaml, "CSafeLoader")  # (else this compares the pure loader with itself)
    with_c = pairs()
    monkeypatch.delattr(yaml, "CSafeLoader")
    assert pairs() == with_c
