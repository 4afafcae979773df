"""`analyzers:` (docs/lint.md): the entries, the engine's lint findings, the merge rules
across targets, and the build files of the lint engine. Pure parts; tests/e2e/test_lint.py
runs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker import lint_build, typecheck
from checker.model import CheckResult, Diagnostic
from crossvet import sources
from matrix import categories, ignores, lint
from matrix.ignores import IgnoreRule
from reports import lintmerge, sarif, suppress
from reports.aggregate import documented
from reports.results import Results, TargetResult
from tests.helpers.typecheck_helpers import jobs_for


def test_entries_are_packages_and_merge_rules() -> None:
    entries = lint.normalise(["./tools/lint", "unusedfunc=all", "SA4006=any", "./tools/lint"])
    assert entries == ("./tools/lint", "unusedfunc=all", "SA4006=any")
    assert lint.packages(entries) == ("./tools/lint",)
    assert lint.merge_rules(entries) == {"unusedfunc": "all", "SA4006": "any"}
    assert lint.merge_of("unusedfunc", "", {"unusedfunc": "all"}) == "all"
    assert lint.merge_of("SA4006", "all", {"SA4006": "any"}) == "any"  # the config wins
    assert lint.merge_of("x", "all", {}) == "all"  # else what the analyzer declares
    assert lint.merge_of("x", "", {}) == "any"
    for bad in ("unusedfunc=some", "=all", "a/b=all", "two words"):
        with pytest.raises(ValueError, match="analyzers"):
            lint.normalise([bad])


def test_the_lint_category_names_its_analyzers_in_suppressions() -> None:
    assert categories.spelled("lint/SA4006") == "lint/SA4006"
    assert categories.spelled("lint") == "lint"
    assert categories.with_analyzer("lint") and not categories.with_analyzer("overflow")


def test_the_engines_lint_findings_are_category_lint_with_url_and_merge() -> None:
    jobs = jobs_for(["linux/386"])
    data = {"targets": [{"name": "linux/386", "diagnostics": [
        {"file": "/m/a.go", "line": 4, "col": 2, "kind": "vet", "analyzer": "unusedfunc",
         "lint": True, "url": "https://e/u", "merge": "all", "message": "func f is unused"},
        {"file": "/m/a.go", "line": 5, "col": 2, "kind": "vet", "analyzer": "SA4006",
         "lint": True, "message": "x is never read"},
        {"file": "/m/a.go", "line": 6, "col": 2, "kind": "vet", "analyzer": "printf",
         "message": "bad verb"}]}]}
    vet = typecheck.parse_response(data, jobs, module_dir="/m", narrowing="warning",
                                   check="vet", merge={"SA4006": "all"})["linux/386"]
    got = [(d.category, d.analyzer, d.url, d.merge) for d in vet.diagnostics]
    assert got == [("lint", "unusedfunc", "https://e/u", "all"), ("lint", "SA4006", "", "all"),
                   ("vet", "printf", "", "")]


def _target(goos: str, packages: tuple[str, ...], *diags: Diagnostic) -> TargetResult:
    name = f"{goos}/amd64"
    return TargetResult(id=name, goos=goos, goarch="amd64", checks=(CheckResult(
        target=name, check="vet", status="fail" if diags else "ok",
        diagnostics=tuple(Diagnostic(**{**d.__dict__, "target": name}) for d in diags),
        packages=packages),))


def _lint(line: int, merge: str, package: str = "m/p") -> Diagnostic:
    return Diagnostic(target="", check="vet", message=f"finding {line}", category="lint",
                      analyzer="unusedfunc", file="p/p.go", line=line, package=package,
                      merge=merge)


def test_merge_all_keeps_only_what_holds_on_every_target_with_the_package() -> None:
    results = Results(targets=(
        _target("linux", ("m/p",), _lint(1, "all"), _lint(2, "all"), _lint(3, "any")),
        _target("windows", ("m/p",), _lint(2, "all")),
        _target("js", ("m/other",)),  # no m/p: it does not count
    ), checks=("vet",))
    merged = lintmerge.apply(results)
    kept = {t.goos: [d.line for d in t.diagnostics] for t in merged.targets}
    assert kept == {"linux": [2, 3], "windows": [2], "js": []}
    # an external test package counts as its package
    ext = Results(targets=(_target("linux", ("m/p",), _lint(1, "all", "m/p_test")),
                           _target("windows", ("m/p",))), checks=("vet",))
    assert [t.diagnostics for t in lintmerge.apply(ext).targets] == [(), ()]


def test_merge_all_counts_only_the_targets_that_build_the_file() -> None:
    def in_linux_file(line: int) -> Diagnostic:
        return Diagnostic(**{**_lint(line, "all").__dict__, "file": "p/p_linux.go"})

    results = Results(targets=(
        _target("linux", ("m/p",), in_linux_file(1)), _target("windows", ("m/p",))),
        checks=("vet",))
    assert [len(t.diagnostics) for t in lintmerge.apply(results).targets] == [0, 0]
    built = lintmerge.apply(results, lambda f, t: not f.endswith("_linux.go") or
                            t.goos == "linux")
    assert [len(t.diagnostics) for t in built.targets] == [1, 0]


def test_a_suppression_of_a_finding_merged_away_is_unused() -> None:
    results = lintmerge.apply(Results(targets=(
        _target("linux", ("m/p",), _lint(1, "all")), _target("windows", ("m/p",))),
        checks=("vet",)))
    rule = IgnoreRule(categories=("lint/unusedfunc",), reason="r", by="x:1")
    out = suppress.apply(results, [rule], ())
    assert [u.by for u in out.unused_ignores] == ["x:1"]
    kept = Results(targets=(_target("linux", ("m/p",), _lint(1, "any")),
                            _target("windows", ("m/p",))), checks=("vet",))
    assert suppress.apply(lintmerge.apply(kept), [rule], ()).unused_ignores == ()


def test_the_build_files_use_the_projects_versions(tmp_path: Path) -> None:
    resolved = lint_build.Resolved(
        packages=(("honnef.co/go/tools/staticcheck", "/mc/st"),),
        modules=(lint_build.Module(path="golang.org/x/tools", version="v0.44.0", dir="/mc/t"),
                 lint_build.Module(path="example.com/m", version="", dir="/m")),
        tools_dir="/mc/t", key="k")
    mod = lint_build.go_mod(resolved, (1, 27, 3))
    assert "golang.org/x/tools v0.44.0" in mod and "example.com/m" not in mod
    work = tmp_path / "go.work"
    work.write_text("go 1.26\n\nuse (\n\t./a\n\t../b // c\n)\nreplace x.y/z => ./z\n"
                    "replace q.r/s v1.0.0 => q.r/t v1.1.0\n")
    text = lint_build.go_work("/build", str(work), "/ignored", (1, 27, 3))
    assert text.startswith('go 1.27.3\n\nuse "/build"\n')
    assert f'use "{tmp_path}/a"' in text and f'use "{tmp_path.parent}/b"' in text
    assert f'replace x.y/z => "{tmp_path}/z"' in text
    assert "replace q.r/s v1.0.0 => q.r/t v1.1.0" in text
    assert lint_build.go_work("/build", "", "/m", (1, 27, 3)).endswith('use "/m"\n')


def test_an_analyzers_url_explains_its_finding_only_when_it_is_plain() -> None:
    url = "https://staticcheck.dev/docs/checks/#SA4006"
    assert documented("lint", "SA4006", url).endswith(url)
    assert documented("lint", "x", "https://e.com/a](javascript:alert(1))") == ""
    assert documented("lint", "<b>", url) == ""
    assert documented("vet", "printf", url) == ""


def test_a_lint_finding_is_its_own_sarif_rule_with_the_analyzers_url() -> None:
    d = Diagnostic(**{**_lint(1, "any").__dict__, "url": "https://example.com/lint#unusedfunc"})
    log = sarif.render(Results(targets=(_target("linux", ("m/p",), d),), checks=("vet",)))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [(r["id"], r.get("helpUri")) for r in rules] == [
        ("crossvet/lint/unusedfunc", "https://example.com/lint#unusedfunc")]


def test_a_jobs_line_drops_what_a_job_done_before_it_lacks() -> None:
    linux = _target("linux", ("m/p",), _lint(1, "all"), _lint(2, "all"), _lint(3, "any"))
    windows = _target("windows", ("m/p",), _lint(2, "all"))
    # first: nothing is known yet; after windows (which lacks 1), linux's 1 is dropped for sure
    assert [d.line for d in lintmerge.so_far([linux]).diagnostics] == [1, 2, 3]
    assert [d.line for d in lintmerge.so_far([windows, linux]).diagnostics] == [2, 3]
    assert lintmerge.so_far([windows, linux]).checks[0].status == "fail"
    # a job whose every finding is dropped is ok
    only = _target("linux", ("m/p",), _lint(1, "all"))
    assert lintmerge.so_far([windows, only]).checks[0].status == "ok"


def test_staticchecks_directives_are_suppressions_of_lint_findings() -> None:
    line = ignores.parse_lint_directive("\t//lint:ignore SA4006,U1000 kept for the debugger",
                                        file="p/a.go", line=3)
    assert line is not None
    assert (line.categories, line.file, line.line, line.reason) == (
        ("lint/SA4006", "lint/U1000"), "p/a.go", 3, "kept for the debugger")
    whole = ignores.parse_lint_directive("//lint:file-ignore SA1019 generated [v1]",
                                         file="p/gen[1].go", line=1)
    assert whole is not None and (whole.path, whole.file) == ("p/gen[[]1].go", "")
    assert ignores.parse_lint_directive("//lint:ignore SA4006", file="a.go", line=1) is None
    # read only with analyzers: (a module's staticcheck directives mean nothing to vet alone)
    data = b"package p\n\n//lint:ignore SA4006 reason\nvar x = 1\n"
    assert sources._directives("a.go", data) == []
    assert [r.categories for r in sources._directives("a.go", data, lint=True)] == [
        ("lint/SA4006",)]


def test_a_staticcheck_directive_that_matches_nothing_is_not_unused() -> None:
    results = Results(targets=(_target("linux", ("m/p",), _lint(1, "any")),), checks=("vet",))
    quiet = ignores.parse_lint_directive("//lint:ignore U1000 kept", file="p/p.go", line=9)
    used = ignores.parse_lint_directive("//lint:ignore unusedfunc kept", file="p/p.go", line=1)
    ours = IgnoreRule(categories=("lint/U1000",), reason="r", by="x:1")
    assert quiet is not None and used is not None
    out = suppress.apply(results, [quiet, used, ours], ())
    assert [u.by for u in out.unused_ignores] == ["x:1"]
    assert [(u.by, u.matched) for u in out.ignores] == [("p/p.go:1", 1), ("x:1", 0)]
