"""One finding per problem, listing every target it breaks."""

from __future__ import annotations

from matrix.ctargets import c_int_bits
from reports.aggregate import aggregate, explain, finding_id
from reports.results import TargetResult
from tests.helpers.builders import diag, overflow_results, refs


def test_identical_diagnostics_from_targets_and_checks_become_one_finding() -> None:
    res = overflow_results()
    (f,) = res.findings
    assert f.category == "overflow"
    assert f.targets == ("linux/386", "linux/arm", "windows/386")
    assert f.checks == ("build", "vet")
    assert (f.file, f.line, f.col) == ("s3/minio.go", 14, 51)
    assert "32 bits wide on linux/386, linux/arm, windows/386" in f.explanation
    assert "int64" in f.explanation


def test_different_columns_are_different_findings() -> None:
    ds = [diag("linux/386"), diag("linux/arm", col=52)]
    assert len(aggregate(ds, refs("linux/386", "linux/arm"))) == 2


def test_order_is_errors_first_then_category_rank() -> None:
    ds = [
        diag("a/b", check="vet", category="vet", analyzer="printf", file="z.go", message="p"),
        diag("a/b", category="overflow", file="y.go"),
        diag("a/b", category="compile", file="x.go", message="missing return"),
        diag("a/b", category="narrowing", file="w.go", message="n", severity="warning"),
        diag("a/b", category="undefined", file="v.go", message="undefined: f"),
    ]
    cats = [f.category for f in aggregate(ds, refs("a/b"))]
    assert cats == ["compile", "undefined", "overflow", "vet", "narrowing"]


def test_targets_follow_plan_order_not_alphabet() -> None:
    ds = [diag("windows/386"), diag("linux/arm")]
    (f,) = aggregate(ds, refs("windows/386", "linux/arm"))
    assert f.targets == ("windows/386", "linux/arm")


def test_fingerprint_ignores_line_numbers_but_not_message() -> None:
    a = finding_id("a.go", "undefined: x", "undefined", "")
    assert a == finding_id("a.go", "undefined: x", "undefined", "")
    assert a != finding_id("a.go", "undefined: y", "undefined", "")
    assert len(a) == 16


def test_a_target_that_needs_cgo_is_explained() -> None:
    msg = "android/386 requires external (cgo) linking, but cgo is not enabled"
    (f,) = aggregate([diag("android/386", check="vet", category="other", file="", line=0,
                           col=0, message=msg)], refs("android/386"))
    assert f.category == "other" and f.location == ""
    assert "without cgo" in f.explanation and "!android/*" in f.explanation


def test_an_overflow_explanation_names_target_ids_by_their_goarch() -> None:
    text = explain("overflow", refs("linux/386 [netgo]", "windows/386", "linux/amd64",
                                    module="calc"))
    assert "32 bits wide on linux/386 [netgo], windows/386." in text


def test_a_c_type_overflow_names_c_s_width_not_go_s_int() -> None:
    """C's long is 32 bits on windows/amd64 (LLP64), where Go's int is 64: the cgo jobs that
    find `constant 1099511627776 overflows _Ctype_long` (tests/e2e/test_cgo_compiler.py)."""
    text = explain("overflow", refs("linux/386 +cgo", "windows/amd64 +cgo"),
                   "constant 1099511627776 overflows _Ctype_long")
    assert "C's long (C.long) is 32 bits wide on linux/386 +cgo, windows/amd64 +cgo." in text
    assert "int, uint and uintptr" not in text
    text = explain("overflow", refs("linux/amd64 +cgo", "linux/386 +cgo"),
                   "cannot use 1 << 33 (untyped int constant 8589934592) as _Ctype_int value "
                   "in argument to (_Cfunc_f) (overflows)")
    assert "C's int (C.int) is 32 bits wide on linux/amd64 +cgo, linux/386 +cgo." in text
    text = explain("overflow", refs("linux/amd64 +cgo", "windows/386 +cgo"),
                   "constant 1 << 70 overflows _Ctype_ulonglong")
    assert "64 bits wide on linux/amd64 +cgo, windows/386 +cgo." in text


def test_c_integer_widths_per_port() -> None:
    assert [c_int_bits("long", *p.split("/")) for p in
            ("linux/amd64", "windows/amd64", "linux/386", "darwin/arm64", "windows/arm64")
            ] == [64, 32, 32, 64, 32]
    assert [c_int_bits(t, "linux", "arm") for t in
            ("ulong", "size_t", "int16_t", "uint64_t", "uchar", "int", "float", "uintx_t")
            ] == [32, 32, 16, 64, 8, 32, 0, 0]


def test_a_name_only_cgo_files_declare_is_explained_by_its_cgo_twins() -> None:
    """cgo: auto runs linux/386 and linux/386 +cgo: undefined only without cgo means the name
    is declared in cgo files; without a +cgo twin the usual explanation stays."""
    twin = TargetResult(id="linux/386 +cgo", goos="linux", goarch="386", cgo=True)
    undefined = [diag(t, check="typecheck", category="undefined", message="undefined: native")
                 for t in ("linux/386", "windows/386")]
    (f,) = aggregate(undefined[:1], [*refs("linux/386"), twin])
    assert f.explanation.startswith("Declared only in cgo files")
    (f,) = aggregate(undefined, [*refs("linux/386", "windows/386"), twin])  # windows: no twin
    assert f.explanation.startswith("Declared only for some targets")
    both = [*undefined[:1], diag(twin.name, check="typecheck", category="undefined",
                                 message="undefined: native")]
    (f,) = aggregate(both, [*refs("linux/386"), twin])  # undefined with cgo too
    assert f.explanation.startswith("Declared only for some targets")


def test_a_go_work_dependency_finding_says_to_fix_the_workspace_copy() -> None:
    message = ("example.com/dep@v0.1.0 => ../dep (go.work) g.go:4:14: undefined: x\n"
               "imported through example.com/a -> example.com/dep")
    text = explain("undefined", refs("plan9/386"), message, "example.com/dep@v0.1.0")
    assert "as your go.work supplies it" in text and "Fix it there" in text
    assert "go get" not in text
    text = explain("undefined", refs("plan9/386"), message.replace(" (go.work)", ""),
                   "example.com/dep@v0.1.0")
    assert "go get example.com/dep@latest" in text
