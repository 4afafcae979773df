"""matrix/modules.py: go.work's `use` lines, module selection, problems, one plan of many."""

from __future__ import annotations

import pytest

from matrix import equivalence
from matrix import modules as mods
from matrix.errors import UsageError
from matrix.modules import Module
from matrix.plan import Job, Plan, qualified
from matrix.shards import split
from matrix.targets import Target


def test_gowork_use_lines_and_blocks() -> None:
    text = ("go 1.22 // the version\n\nuse ./app\nuse (\n\t./calc // calc\n\t\"./lib\"\n"
            "\t.\n)\nuse (./x)\nreplace example.com/a => ./a\nuse ./app\n")
    assert mods.parse_gowork(text) == ("app", "calc", "lib", ".", "x")


@pytest.mark.parametrize("text, why", [
    ("use (\n./a\n", "unterminated"),
    ("use\n", "without a directory"),
    ("use ../outside\n", "inside it"),
    ("use /abs/a\n", "inside it"),
])
def test_gowork_errors(text: str, why: str) -> None:
    with pytest.raises(UsageError, match=why):
        mods.parse_gowork(text, source="go.work")


def test_module_path_ignores_comments() -> None:
    assert mods.module_path("// module example.com/wrong\nmodule \"example.com/m\"\n") \
        == "example.com/m"
    assert mods.module_path("go 1.22\n") == ""


FOUND = (Module(dir=".", path="example.com/root"), Module(dir="app", path="example.com/app"),
         Module(dir="tools", path="example.com/tools"),
         Module(dir="tools/lint", path="example.com/tools/lint"),
         Module(dir="services/api", path="example.com/api"))


def dirs(found: tuple[Module, ...]) -> list[str]:
    return [m.dir for m in found]


@pytest.mark.parametrize("selectors, want", [
    (("all",), [".", "app", "tools", "tools/lint", "services/api"]),
    (("all", "!tools"), [".", "app", "services/api"]),  # a dir excludes what is under it
    (("all", "!tools/lint"), [".", "app", "tools", "services/api"]),
    (("example.com/api", "app"), ["app", "services/api"]),  # in directory order
    (("services/*",), ["services/api"]),
    (("tools/...",), ["tools", "tools/lint"]),
    (("./app/",), ["app"]),
    (("!app",), [".", "tools", "tools/lint", "services/api"]),  # only exclusions: from all
])
def test_select(selectors: tuple[str, ...], want: list[str]) -> None:
    assert dirs(mods.select(selectors, FOUND)) == want


def test_select_nothing_names_the_modules() -> None:
    with pytest.raises(UsageError, match=r"'nope' matches no module \(modules found: \., app"):
        mods.select(("nope",), FOUND)


def test_problems_one_message_each() -> None:
    found = (Module(dir="a", path="example.com/x"), Module(dir="b", path="example.com/x"),
             Module(dir="c", has_gomod=False), Module(dir="d", path=""))
    assert mods.problems(found, workspace=True) == {
        "b": "b: module path example.com/x is also the module path of a; each module needs "
             "its own path",
        "c": "c: listed by `use` in go.work but has no go.mod",
        "d": "d/go.mod: no `module` line",
    }


def plan_of(*targets: str, checks: tuple[str, ...] = ("vet", "build")) -> Plan:
    jobs = tuple(Job(target=Target(goos=t.split("/")[0], goarch=t.split("/")[1]), checks=checks)
                 for t in targets)
    return Plan(jobs=jobs, notes=("a note",), order=tuple(j.name for j in jobs))


def test_combine_names_jobs_after_their_module() -> None:
    plan = mods.combine([(Module(dir="app"), plan_of("linux/amd64", "linux/386")),
                         (Module(dir="."), plan_of("linux/386"))])
    assert [j.name for j in plan.jobs] == ["app:linux/amd64", "app:linux/386", ".:linux/386"]
    assert plan.order == tuple(j.name for j in plan.jobs)
    assert plan.modules == ("app", ".")
    assert plan.notes == ("app: a note", ".: a note")
    assert [j.slug for j in plan.jobs] == ["app-linux-amd64", "app-linux-386", "root-linux-386"]
    # the target and the module stay data; the name is made from them
    assert [(j.module, j.target_id) for j in plan.jobs] == [
        ("app", "linux/amd64"), ("app", "linux/386"), (".", "linux/386")]
    assert qualified("services/api", "linux/386 [netgo]") == "services/api:linux/386 [netgo]"
    assert qualified("", "linux/386") == "linux/386"


def test_shards_split_across_modules_by_weight() -> None:
    plan = mods.combine([(Module(dir="a"), plan_of("linux/amd64", "linux/386")),
                         (Module(dir="b"), plan_of("linux/386", checks=("vet",)))])
    shards = split(plan.jobs, 2)
    assert [[j.name for j in s] for s in shards] == [["a:linux/amd64", "b:linux/386"],
                                                     ["a:linux/386"]]


def test_owner_is_the_deepest_module_holding_the_file() -> None:
    dirs_ = (".", "tools", "tools/lint")
    assert mods.owner("tools/lint/x.go", dirs_) == "tools/lint"
    assert mods.owner("tools/x.go", dirs_) == "tools"
    assert mods.owner("main.go", dirs_) == "."
    assert mods.owner("toolsx/a.go", ("tools",)) == ""


def test_jobs_of_different_modules_are_never_merged() -> None:
    plan = mods.combine([(Module(dir="a"), plan_of("linux/386")),
                         (Module(dir="b"), plan_of("linux/386"))])
    assert equivalence.candidates(plan) == ()
    same = equivalence.Listing(files=frozenset({"x"}), foreign_code=False)
    merged = equivalence.merge(plan, listings={j.name: same for j in plan.jobs})
    assert [j.name for j in merged.jobs] == ["a:linux/386", "b:linux/386"]


def test_gowork_without_leaves_out_uses_and_makes_directories_absolute() -> None:
    text = ("go 1.22 // the workspace\ntoolchain go1.22.1\ngodebug (\n\tdefault=go1.21\n)\n"
            "use ./app\nuse (\n\t./lib // shared\n\t\"./with space\"\n\t./gone\n)\n"
            "use ./broken/\nuse (./tools)\n"
            "replace example.com/x v1.0.0 => ../x\n"
            "replace (\n\texample.com/y => ./vendored/y\n"
            "\texample.com/z => example.com/w v1.2.3\n\texample.com/abs => /opt/abs\n)\n")
    got = mods.gowork_without(text, ["gone", "broken"], root="/src/repo")
    assert got == ("go 1.22\ntoolchain go1.22.1\ngodebug (\n\tdefault=go1.21\n)\n"
                   "use \"/src/repo/app\"\nuse (\n\t\"/src/repo/lib\"\n"
                   "\t\"/src/repo/with space\"\n)\nuse \"/src/repo/tools\"\n"
                   "replace example.com/x v1.0.0 => \"/src/x\"\n"
                   "replace (\n\texample.com/y => \"/src/repo/vendored/y\"\n"
                   "\texample.com/z => example.com/w v1.2.3\n"
                   "\texample.com/abs => \"/opt/abs\"\n)\n")


@pytest.mark.parametrize(("gomod", "line"), [
    ("module m\n\ngo 1.25.0\n\ntoolchain go1.25.11\n", "1.25.0"),
    ("module m\ngo 1.22 // the language\n", "1.22"),
    ("module m\n// go 1.99\n", ""),
    ("module m\n\ngo 1.26rc1\n", "1.26rc1"),
    ("module m\n\nrequire golang.org/x/sys v0.1.0\n", ""),
])
def test_the_go_line(gomod: str, line: str) -> None:
    assert mods.go_line(gomod) == line
