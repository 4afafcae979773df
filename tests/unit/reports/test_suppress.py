"""Suppressions: config entries and inline comments, per target; unused only when they matched
nothing on every target they apply to (golangci-lint#3833)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from crossvet import pipeline
from matrix.claims import ModuleFacts, SourceFile
from matrix.config import parse
from matrix.errors import EXIT_FINDINGS, EXIT_OK, ConfigError
from matrix.ignores import IgnoreRule, in_module, parse_directive, parse_rules
from matrix.plan import qualified
from matrix.targets import Port
from reports import suppress, terminal
from reports.results import IgnoreUse, Results, from_text, to_text
from tests.helpers.builders import diag, target

PORTS = [Port(goos="linux", goarch="amd64", first_class=True),
         Port(goos="linux", goarch="386", first_class=True),
         Port(goos="linux", goarch="arm", first_class=True),
         Port(goos="windows", goarch="386", first_class=True),
         Port(goos="windows", goarch="amd64", first_class=True)]


def run(*targets_: str) -> Results:
    """The overflow on the 32-bit targets among `targets_`, ok elsewhere."""
    ts = [target(t, diag(t, "build"), diag(t, "vet")) if t.endswith(("386", "arm"))
          else target(t) for t in targets_]
    return Results(targets=tuple(ts), checks=("vet", "build"))


def inline(text: str, line: int = 13) -> IgnoreRule:
    rule = parse_directive(text, file="s3/minio.go", line=line)
    assert rule is not None
    return rule


def test_a_32bit_suppression_used_on_386_and_not_applicable_on_amd64_is_not_unused() -> None:
    rule = inline("\t\t//crossvet:ignore overflow 32bit -- sizes are checked first")
    res = suppress.apply(run("linux/amd64", "linux/386"), [rule], PORTS)
    (f,) = res.findings
    assert f.suppressed is not None and f.suppressed.by == "s3/minio.go:13"
    assert f.suppressed.reason == "sizes are checked first"
    (use,) = res.ignores
    assert use.targets == ("linux/386",) and use.matched == 2
    assert res.unused_ignores == ()
    assert res.summary["findings"] == 0 and res.summary["suppressed"] == 1
    assert res.problems(res.targets[1]) == 0 and res.targets[1].id == "linux/386"


def test_a_suppression_matching_nothing_is_unused_with_its_place() -> None:
    rules = parse(
        "ignore:\n"
        "  - category: vet/printf\n"
        "    reason: no printf problem here\n"
        "  - category: overflow\n"
        "    targets: windows/*\n"
        "    reason: windows is not in this run\n", source=".crossvet.yaml")["ignore"].value
    res = suppress.apply(run("linux/amd64", "linux/386"), rules, PORTS)
    assert [u.by for u in res.unused_ignores] == [".crossvet.yaml:2"]  # not the windows one
    assert res.findings[0].suppressed is None and res.summary["findings"] == 1
    # An interrupted run, or a target that was not checked, cannot tell what is unused.
    errored = Results(targets=(target("linux/amd64", error="timeout"), *run("linux/386").targets),
                      checks=("vet", "build"), ignores=res.ignores)
    assert errored.unused_ignores == ()


def test_a_problem_suppressed_on_some_targets_still_counts_on_the_others() -> None:
    rule = IgnoreRule(categories=("overflow",), targets="linux/arm", reason="r", by="c:3")
    res = suppress.apply(run("linux/386", "linux/arm"), [rule], PORTS)
    counted, hidden = res.findings
    assert counted.targets == ("linux/386",) and counted.suppressed is None
    assert hidden.targets == ("linux/arm",) and hidden.suppressed is not None
    assert counted.fingerprint == hidden.fingerprint
    assert res.summary["findings"] == 1


def test_a_target_failing_only_by_suppressed_findings_is_ok_as_the_exit_code_says() -> None:
    rule = IgnoreRule(categories=("overflow",), targets="linux/arm", reason="r", by="c:3")
    before = run("linux/amd64", "linux/386", "linux/arm")
    assert before.count("fail") == 2
    res = suppress.apply(before, [rule], PORTS)
    assert [t.status for t in res.targets] == ["ok", "fail", "ok"]
    assert [c.status for c in res.targets[2].checks] == ["ok", "ok"]
    assert res.summary["fail"] == 1 and res.summary["ok"] == 2
    assert "2 ok, 1 failing, 0 not checked" in terminal.summary(res)
    assert pipeline.exit_code(res) == EXIT_FINDINGS
    everywhere = suppress.apply(before, [replace(rule, targets="")], PORTS)
    assert everywhere.summary["fail"] == 0 and pipeline.exit_code(everywhere) == EXIT_OK
    assert "3 ok, 0 failing, 0 not checked; 1 suppressed" in terminal.summary(everywhere)
    # The status survives the results file.
    assert [t.status for t in from_text(to_text(everywhere)).targets] == ["ok"] * 3


def test_matching_by_path_message_category_and_line() -> None:
    d = diag("linux/386", line=14)
    assert suppress.matches(IgnoreRule(path="s3/*.go", reason="r"), d)
    assert not suppress.matches(IgnoreRule(path="other/*.go", reason="r"), d)
    assert suppress.matches(IgnoreRule(message=r"untyped int constant \d+", reason="r"), d)
    assert not suppress.matches(IgnoreRule(message="^missing return", reason="r"), d)
    vet = diag("linux/386", check="vet", category="vet", analyzer="printf")
    assert suppress.matches(IgnoreRule(categories=("vet",), reason="r"), vet)
    assert suppress.matches(IgnoreRule(categories=("vet/printf",), reason="r"), vet)
    assert not suppress.matches(IgnoreRule(categories=("vet/copylocks",), reason="r"), vet)
    # an inline comment covers its own line and the one below, nothing else
    assert suppress.matches(inline("//crossvet:ignore overflow -- r", line=14), d)
    assert suppress.matches(inline("//crossvet:ignore overflow -- r", line=13), d)
    assert not suppress.matches(inline("//crossvet:ignore overflow -- r", line=12), d)
    assert not suppress.matches(inline("//crossvet:ignore overflow -- r", line=15), d)


def test_suppressions_survive_the_results_file() -> None:
    rule = inline("//crossvet:ignore overflow 32bit -- checked at run time")
    res = suppress.apply(run("linux/amd64", "linux/386"), [rule], PORTS)
    again = from_text(to_text(res))
    assert again.findings == res.findings and again.ignores == res.ignores
    assert again.findings[0].to_json()["suppressed"] == {"by": "s3/minio.go:13",
                                                         "reason": "checked at run time"}


@pytest.mark.parametrize(("text", "message"), [
    ("//crossvet:ignore overflow", "needs a reason"),
    ("//crossvet:ignore overflow --  ", "needs a reason"),
    ("//crossvet:ignore -- why", "expected //crossvet:ignore CATEGORY"),
    ("//crossvet:ignore a b c -- why", "expected //crossvet:ignore CATEGORY"),
])
def test_malformed_directives(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_directive(text, file="a.go", line=1)


def test_directive_forms() -> None:
    assert parse_directive("x := 1 // not one", file="a.go", line=1) is None
    assert parse_directive("//crossvet:ignored", file="a.go", line=1) is None
    rule = inline("x := a * b //crossvet:ignore overflow,vet/printf linux/386,!x -- why -- so",
                  line=7)
    assert rule.categories == ("overflow", "vet/printf") and rule.targets == "linux/386,!x"
    assert rule.reason == "why -- so" and rule.by == "s3/minio.go:7"


@pytest.mark.parametrize(("yaml_text", "message"), [
    ("ignore:\n  - category: overflow\n", ":2: ignore entry 1 needs a reason"),
    ("ignore:\n  - reason: x\n", "matches everything"),
    ("ignore:\n  - message: '('\n    reason: x\n", "not a regular expression"),
    ("ignore:\n  - category: overflow\n    reason: x\n    file: a.go\n", "unknown field 'file'"),
    ("ignore: overflow\n", "should be a list"),
])
def test_bad_config_entries_name_the_file_and_line(yaml_text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse(yaml_text, source=".crossvet.yaml")


@pytest.mark.parametrize(("yaml_text", "message"), [
    ("ignore:\n  - category: overflw\n    reason: x\n",
     r"\.crossvet\.yaml:2: ignore entry 1: unknown category 'overflw' "
     r"\(did you mean 'overflow'\?\)"),
    ("ignore:\n  - category: [vet, vet/]\n    reason: x\n",
     r":2: ignore entry 1: unknown category 'vet/': only vet/<analyzer> and lint/<analyzer> "
     "name an analyzer"),
    ("ignore:\n  - category: overflow/x\n    reason: x\n", r"unknown category 'overflow/x'"),
])
def test_unknown_categories_are_refused_with_the_config(yaml_text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse(yaml_text, source=".crossvet.yaml")


@pytest.mark.parametrize(("line", "message"), [
    ("x := 1 //crossvet:ignore narowing -- r", r"unknown category 'narowing' \(did you mean "
                                                r"'narrowing'\?\)"),
    ("//crossvet:ignore vet/printf/x -- r", r"unknown category 'vet/printf/x'"),
])
def test_unknown_categories_in_comments_are_refused(line: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_directive(line, file="a.go", line=3)
    assert parse_directive("//crossvet:ignore vet/printf,overflow -- r", file="a.go",
                           line=3).categories == ("vet/printf", "overflow")  # type: ignore[union-attr]


def test_unknown_targets_name_the_suppression() -> None:
    with pytest.raises(ConfigError, match=r"c.yaml:4: bad targets in a suppression"):
        suppress.apply(run("linux/386"), [IgnoreRule(categories=("overflow",), targets="plan9/x",
                                                      reason="r", by="c.yaml:4")], PORTS)
    assert parse_rules([{"category": ["vet", "overflow"], "reason": "r"}])[0].categories == \
        ("vet", "overflow")


def test_shards_merge_their_suppressions() -> None:
    a = IgnoreUse(by="x:1", rule="overflow", reason="r", targets=("linux/amd64",),
                           matched=0)
    b = IgnoreUse(by="x:1", rule="overflow", reason="r", targets=("linux/386",),
                           matched=2)
    (merged,) = suppress.merge_uses([[a], [b]])
    assert merged.targets == ("linux/amd64", "linux/386") and merged.matched == 2


# ---- a run of several modules: each module's suppressions for its own findings -------------

def modules_run() -> Results:
    """app and lib on linux/amd64 and linux/386: an overflow in each module's own file on 386,
    and on app:linux/386 also one in lib/lib.go (a workspace dependency app builds)."""
    ts = []
    for m in ("app", "lib"):
        for t in ("linux/amd64", "linux/386"):
            name = qualified(m, t)
            files = ([f"{m}/{m}.go"] + (["lib/lib.go"] if m == "app" else [])
                     if t.endswith("386") else [])
            base = target(t, *(diag(name, "build", file=f) for f in files))
            ts.append(replace(base, module=m, checks=tuple(
                replace(c, target=name) for c in base.checks)))
    return Results(targets=tuple(ts), checks=("vet", "build"),
                   modules=(("app", "example.com/app"), ("lib", "example.com/lib")))


def test_in_module_puts_the_module_directory_in_front_of_paths() -> None:
    (rule,) = parse_rules([{"category": "overflow", "path": "*.go", "reason": "r"}])
    assert in_module(rule, "services/api").path == "services/api/*.go"
    assert in_module(rule, "a[1]").path == "a[[]1]/*.go"  # a directory, not a glob
    assert in_module(rule, ".") == rule
    moved = in_module(inline("x //crossvet:ignore overflow -- r", line=3), "app")
    assert (moved.file, moved.line, moved.by) == ("app/s3/minio.go", 3, "app/s3/minio.go:3")
    assert in_module(IgnoreRule(categories=("vet",), reason="r"), "app").path == ""


def test_each_module_s_suppressions_apply_to_its_own_findings_only() -> None:
    app_rule = IgnoreRule(categories=("overflow",), reason="app's", by="app/.crossvet.yaml:2")
    directive = parse_directive("//crossvet:ignore overflow -- lib's", file="lib.go", line=14)
    assert directive is not None
    lib_line = in_module(directive, "lib")
    res = suppress.apply_modules(modules_run(), [
        suppress.RuleSet(module="app", rules=(app_rule,)),
        suppress.RuleSet(module="lib", rules=(lib_line,))], PORTS)
    by_file = {(f.file, f.suppressed.by if f.suppressed else "") for f in res.findings}
    # app's rule has no path, yet leaves lib's file alone even on app's own target; lib's
    # comment suppresses lib/lib.go wherever it is built, app:linux/386 included.
    assert by_file == {("app/app.go", "app/.crossvet.yaml:2"), ("lib/lib.go", "lib/lib.go:14")}
    # the problem in lib/lib.go is a finding of each module whose build reports it
    shared = [(f.module, f.targets) for f in res.findings if f.file == "lib/lib.go"]
    assert shared == [("app", ("linux/386",)), ("lib", ("linux/386",))]
    app_use, lib_use = res.ignores
    assert (app_use.module, app_use.targets, app_use.matched) == (
        "app", ("linux/amd64", "linux/386"), 1)
    assert (lib_use.module, lib_use.targets, lib_use.matched) == (
        "lib", ("linux/amd64", "linux/386"), 2)
    assert res.summary["findings"] == 0 and res.unused_ignores == ()


def test_a_rule_shared_by_modules_has_a_use_in_each_unused_only_if_unused_in_each() -> None:
    root = IgnoreRule(categories=("overflow",), path="app/*", reason="root's",
                      by=".crossvet.yaml:3")
    unused = IgnoreRule(categories=("vet/printf",), reason="none", by=".crossvet.yaml:6")
    sets = [suppress.RuleSet(module=m, rules=(root, unused)) for m in ("app", "lib")]
    res = suppress.apply_modules(modules_run(), sets, PORTS)
    used_app, idle_app, used_lib, idle_lib = res.ignores
    assert [(u.by, u.module, u.targets, u.matched) for u in (used_app, used_lib)] == [
        (".crossvet.yaml:3", "app", ("linux/amd64", "linux/386"), 1),
        (".crossvet.yaml:3", "lib", ("linux/amd64", "linux/386"), 0)]  # used: in app
    assert res.unused_ignores == (idle_app, idle_lib) and idle_lib.by == ".crossvet.yaml:6"
    assert res.summary["unused_ignores"] == 2
    again = from_text(to_text(res))
    assert again.ignores == res.ignores and again.unused_ignores == res.unused_ignores
    # what counts: lib/lib.go, a finding of app (its linux/386 build) and of lib
    assert [(f.module, f.file, f.targets) for f in res.findings if f.counts] == [
        ("app", "lib/lib.go", ("linux/386",)), ("lib", "lib/lib.go", ("linux/386",))]


def test_claimed_in_a_rules_targets_is_the_modules_claimed_set() -> None:
    ports = [*PORTS, Port(goos="plan9", goarch="386"), Port(goos="freebsd", goarch="386")]
    res = run("linux/386", "plan9/386", "freebsd/386")
    rule = parse_rules([{"category": "overflow", "targets": "claimed,!linux/*",
                         "reason": "checked elsewhere"}])[0]
    facts = ModuleFacts(files=(SourceFile(path="lock_plan9.go"),))
    assert suppress.covered(rule, res.targets, ports, facts=facts) == ("plan9/386",)
    # without the module's facts, claimed is the first-class ports only
    assert suppress.covered(rule, res.targets, ports) == ()
    marked = suppress.apply_modules(res, [suppress.RuleSet(rules=(rule,), facts=facts)], ports)
    assert [t.id for t in marked.targets if t.status == "ok"] == ["plan9/386"]
