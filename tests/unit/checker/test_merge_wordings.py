"""reports.aggregate: one finding per problem even when the checks word it differently."""

from __future__ import annotations

from checker.model import Diagnostic
from reports.aggregate import aggregate, finding_id
from tests.helpers.builders import refs


def diag(check: str, message: str, line: int = 5, col: int = 1, *, target: str = "linux/amd64",
         category: str = "compile") -> Diagnostic:
    return Diagnostic(target=target, check=check, message=message, category=category,
                      file="s.go", line=line, col=col, package="m")


SYNTAX = [
    diag("vet", "expected operand, found '}' (and 2 more errors)"),
    diag("build", "syntax error: unexpected }, expected expression"),
    diag("build", "syntax error: unexpected literal 2 at end of statement", line=8, col=11),
    diag("typecheck", "expected operand, found '}'"),
    # go/parser recovers differently from the compiler: its later errors sit elsewhere
    diag("typecheck", "expected ';', found 'return'", line=8, col=2),
    diag("typecheck", "expected '}', found 'EOF'", line=9, col=3),
]


def test_two_syntax_errors_seen_by_three_checks_are_two_findings() -> None:
    first, second = aggregate(SYNTAX, refs("linux/amd64"))
    assert (first.line, first.message, first.checks) == (
        5, "syntax error: unexpected }, expected expression", ("build", "typecheck", "vet"))
    assert [(w.message, w.checks) for w in first.also_worded] == [
        ("expected operand, found '}'", ("typecheck",)),
        ("expected operand, found '}' (and 2 more errors)", ("vet",)),
    ]
    assert (second.line, second.col, second.checks) == (8, 11, ("build", "typecheck"))
    assert second.to_json()["also_worded"] == [
        {"message": "8:2: expected ';', found 'return'", "checks": ["typecheck"]},
        {"message": "9:3: expected '}', found 'EOF'", "checks": ["typecheck"]},
    ]


def test_without_build_each_parser_error_is_its_own_finding() -> None:
    found = aggregate([d for d in SYNTAX if d.check != "build"], refs("linux/amd64"))
    assert [(f.line, f.col, f.message, f.checks) for f in found] == [
        (5, 1, "expected operand, found '}'", ("typecheck", "vet")),
        (8, 2, "expected ';', found 'return'", ("typecheck",)),
        (9, 3, "expected '}', found 'EOF'", ("typecheck",)),
    ]


def test_parser_errors_fold_only_into_the_same_targets_build_errors() -> None:
    other = diag("typecheck", "expected ';', found 'return'", line=8, col=2, target="linux/386")
    found = aggregate([*SYNTAX, other], refs("linux/amd64", "linux/386"))
    assert [(f.line, f.col, f.targets) for f in found] == [
        (5, 1, ("linux/amd64",)), (8, 2, ("linux/386",)), (8, 11, ("linux/amd64",))]


def test_redeclaration_with_and_without_its_continuation_is_one_finding() -> None:
    full = "X redeclared in this block\n./r.go:3:5: other declaration of X"
    (f,) = aggregate([diag("vet", "X redeclared in this block"), diag("build", full)],
                     refs("linux/amd64"))
    assert f.message == full and f.checks == ("build", "vet")
    assert [w.message for w in f.also_worded] == ["X redeclared in this block"]


def test_ids_of_findings_that_already_merged_are_unchanged() -> None:
    msg = "undefined: x"
    (f,) = aggregate([diag("vet", msg, category="undefined"),
                      diag("build", msg, target="linux/386", category="undefined")],
                     refs("linux/amd64", "linux/386"))
    assert f.id == finding_id("s.go", msg, "undefined", "")
    assert f.also_worded == ()
    assert f.to_json()["also_worded"] == []


def test_different_errors_at_one_position_stay_apart() -> None:
    found = aggregate([diag("build", "undefined: x", category="undefined"),
                       diag("build", "declared and not used: y")], refs("linux/amd64"))
    assert len(found) == 2
