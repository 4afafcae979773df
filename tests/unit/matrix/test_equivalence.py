"""Merging provably identical jobs: the decision rules (pure) and real `go list` output."""

from __future__ import annotations

from collections.abc import Mapping

from checker import probe
from checker.local import LocalBackend
from checker.proc import ProcessGroup
from checker.toolchain import find
from crossvet import pipeline
from matrix.equivalence import Listing, candidates, merge, parse_listing
from matrix.options import CheckOptions
from matrix.plan import Job, Plan
from matrix.targets import Target
from tests.conftest import fixture


def job(tid: str, tags: tuple[str, ...] = (), cgo: bool = False) -> Job:
    return Job(target=Target.parse(tid), checks=("vet", "build"), tags=tags, cgo=cgo)


def listing(*lines: str, foreign: bool = False) -> Listing:
    return Listing(files=frozenset(lines), foreign_code=foreign)


def test_default_variant_merges_without_go_list() -> None:
    plan = Plan(jobs=(job("linux/arm"), job("linux/arm/v7"), job("linux/arm/v6")))
    out = merge(plan, variant_defaults={"arm": "v7"})
    assert [j.name for j in out.jobs] == ["linux/arm", "linux/arm/v6"]
    assert out.jobs[0].aliases == ("linux/arm/v7",)
    assert [(m.name, m.aliases) for m in out.merged] == [("linux/arm/v7", ("linux/arm",))]
    assert out.notes == ("linux/arm/v7 runs as linux/arm: v7 is this toolchain's default for "
                         "GOARCH=arm, so the go commands see the same settings",)


def test_same_files_merge_different_files_do_not() -> None:
    a, b, c = job("linux/386"), job("linux/386", ("netgo",)), job("linux/386", ("special",))
    plan = Plan(jobs=(a, b, c))
    assert candidates(plan) == (a, b, c)
    same = listing("p|false|a.go||||||||||")
    other = listing("p|false|a.go,b.go||||||||||")
    out = merge(plan, listings={a.name: same, b.name: same, c.name: other})
    assert [j.name for j in out.jobs] == ["linux/386", "linux/386 [special]"]
    assert out.jobs[0].aliases == ("linux/386 [netgo]",)


def test_never_merged() -> None:
    same = listing("p|false|a.go||||||||||")
    cases: list[tuple[Job, Job, Mapping[str, Listing]]] = [
        (job("linux/386"), job("linux/amd64"), {}),  # different GOARCH
        (job("linux/amd64"), job("linux/amd64", cgo=True), {}),  # cgo differs
        (job("linux/amd64"), job("linux/amd64/v3"), {"x": same}),  # no listing for them
    ]
    for a, b, extra in cases:
        out = merge(Plan(jobs=(a, b)), listings={**extra})
        assert len(out.jobs) == 2, (a.name, b.name)
    # variants with assembly outside the standard library, or with cgo: never merged
    a, b = job("linux/amd64"), job("linux/amd64/v3")
    asm = listing("p|false|a.go|||||x.s|||||", foreign=True)
    assert len(merge(Plan(jobs=(a, b)), listings={a.name: asm, b.name: asm}).jobs) == 2
    a, b = job("linux/amd64", cgo=True), job("linux/amd64/v3", cgo=True)
    assert len(merge(Plan(jobs=(a, b)), listings={a.name: same, b.name: same}).jobs) == 2
    # ...but tag sets with the same files are, even with assembly
    a, b = job("linux/amd64"), job("linux/amd64", ("netgo",))
    assert len(merge(Plan(jobs=(a, b)), listings={a.name: asm, b.name: asm}).jobs) == 1
    # a failed listing is never evidence
    bad = Listing(files=frozenset({"p"}), foreign_code=False, ok=False)
    assert len(merge(Plan(jobs=(a, b)), listings={a.name: bad, b.name: bad}).jobs) == 2


def test_parse_listing() -> None:
    text = ("example.com/m|false|a.go|||||a_amd64.s|||||\n"
            "runtime|true|x.go|||||asm.s|||||\n")
    parsed = parse_listing(text, exit_code=0)
    assert parsed.ok and parsed.foreign_code and len(parsed.files) == 2
    assert not parse_listing("runtime|true|x.go|||||asm.s|||||\n", exit_code=0).foreign_code
    assert not parse_listing(text, exit_code=1).ok
    assert not parse_listing("p|false|a.go|||||||||ERROR\n", exit_code=0).ok
    assert not parse_listing("", exit_code=0).ok


def test_a_merged_job_brings_its_aliases_along() -> None:
    a, b, c = job("linux/amd64"), job("linux/amd64/v1"), job("linux/amd64", ("netgo",))
    d = job("linux/amd64/v1", ("netgo",))
    step1 = merge(Plan(jobs=(a, b, c, d)), variant_defaults={"amd64": "v1"})
    assert [j.aliases for j in step1.jobs] == [("linux/amd64/v1",), ("linux/amd64/v1 [netgo]",)]
    same = listing("p|false|a.go||||||||||")
    out = merge(step1, listings={a.name: same, c.name: same})
    assert [j.name for j in out.jobs] == ["linux/amd64"]
    assert set(out.jobs[0].aliases) == {"linux/amd64/v1", "linux/amd64 [netgo]",
                                        "linux/amd64/v1 [netgo]"}
    assert {m.name: m.aliases[0] for m in out.merged} == {
        "linux/amd64/v1": "linux/amd64", "linux/amd64 [netgo]": "linux/amd64",
        "linux/amd64/v1 [netgo]": "linux/amd64"}


def test_real_go_list_merges_identical_tag_sets_and_variants(go_env: dict[str, str]) -> None:
    """tests/fixtures/tagsets: `special` selects another file; an unused tag and GOAMD64=v3
    select the same files as the plain build, for the module and every dependency."""
    opts = CheckOptions(module_dir=fixture("tagsets"),
                        targets="linux/amd64,linux/amd64/v3,linux/386",
                        tag_sets=((), ("crossvet_unused",), ("special",)))
    plan = pipeline.make_plan(opts, backend(go_env, fixture("tagsets")))
    assert [j.name for j in plan.jobs] == ["linux/amd64", "linux/amd64 [special]", "linux/386",
                                           "linux/386 [special]"]
    by = {j.name: set(j.aliases) for j in plan.jobs}
    assert by["linux/386"] == {"linux/386 [crossvet_unused]"}
    assert by["linux/amd64"] == {"linux/amd64 [crossvet_unused]", "linux/amd64/v3",
                                 "linux/amd64/v3 [crossvet_unused]"}
    assert by["linux/amd64 [special]"] == {"linux/amd64/v3 [special]"}
    assert by["linux/386 [special]"] == set()
    assert any("go list selects the same files" in n for n in plan.notes)
    # the raw facts behind it
    facts = probe.listings(backend(go_env, fixture("tagsets")),
                           [job("linux/amd64"), job("linux/amd64", ("special",))],
                           packages=("./...",))
    plain, special = facts["linux/amd64"], facts["linux/amd64 [special]"]
    assert plain.ok and special.ok and plain.files != special.files
    assert any("mode_special.go" in line for line in special.files)


def test_real_variant_defaults(go_env: dict[str, str]) -> None:
    got = probe.variant_defaults(backend(go_env, "."), ["arm", "amd64", "386", "s390x"])
    assert got == {"arm": "v7", "amd64": "v1", "386": "sse2"}
    env = {**go_env, "GOAMD64": "v3"}
    assert probe.variant_defaults(backend(env, "."), ["amd64"]) == {"amd64": "v3"}


def backend(env: dict[str, str], module_dir: str) -> LocalBackend:
    return LocalBackend(toolchain=find(env), module_dir=module_dir, env=env,
                        group=ProcessGroup(), cache_dir="")
