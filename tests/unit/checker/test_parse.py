"""Parsing go build / go vet output into diagnostics: pure, no Go needed."""

from __future__ import annotations

import pytest

from checker import parse

W = parse.Where(target="linux/386", check="build", module_dir="/src/mod")
WV = parse.Where(target="linux/386", check="vet", module_dir="/src/mod")


def test_build_json_groups_output_per_package_and_keeps_every_error() -> None:
    stdout = "\n".join([
        '{"ImportPath":"m","Action":"build-output","Output":"# m\\n"}',
        '{"ImportPath":"m","Action":"build-output","Output":"./a.go:3:23: undefined: x\\n"}',
        '{"ImportPath":"m","Action":"build-output","Output":"./a.go:3:27: undefined: y\\n"}',
        '{"ImportPath":"m/s3","Action":"build-output","Output":"s3/minio.go:12:51: cannot use '
        'a * b (untyped int constant 53687091200000) as int value in argument to fmt.Errorf '
        '(overflows)\\n"}',
        '{"ImportPath":"m","Action":"build-fail"}',
    ])
    diags = parse.parse_build_json(stdout, W)
    assert [(d.file, d.line, d.col, d.category, d.package) for d in diags] == [
        ("a.go", 3, 23, "undefined", "m"),
        ("a.go", 3, 27, "undefined", "m"),
        ("s3/minio.go", 12, 51, "overflow", "m/s3"),
    ]
    assert all(d.target == "linux/386" and d.check == "build" for d in diags)


def test_text_continuation_lines_join_the_previous_message() -> None:
    text = ("# m\n./a.go:5:9: cannot use x (variable of type T) as I value in return statement: "
            "T does not implement I (missing method M)\n\t\thave m()\n\t\twant M()\n")
    (d,) = parse.parse_text(text, W)
    assert d.message.endswith("(missing method M)\nhave m()\nwant M()")
    assert d.package == "m"
    assert d.category == "compile"


def test_unknown_lines_are_kept_verbatim_as_other() -> None:
    text = ("go: updates to go.mod needed; to update it:\n\tgo mod tidy\n"
            "ios/arm64 requires external (cgo) linking, but cgo is not enabled\n")
    diags = parse.parse_text(text, W)
    assert [d.category for d in diags] == ["other", "other"]
    assert diags[0].message == "go: updates to go.mod needed; to update it:\ngo mod tidy"
    assert diags[1].message.startswith("ios/arm64 requires external")
    assert diags[1].file == "" and diags[1].line == 0


def test_noise_lines_are_not_findings() -> None:
    text = 'go: warning: "./..." matched no packages\nno packages to vet\n'
    assert parse.parse_text(text, W) == []
    assert parse.saw_no_packages(text)


@pytest.mark.parametrize(("printed", "expected"), [
    ("./a.go", "a.go"),
    ("s3/minio.go", "s3/minio.go"),
    ("/src/mod/s3/minio.go", "s3/minio.go"),
    ("/usr/lib/go/src/fmt/print.go", "/usr/lib/go/src/fmt/print.go"),
    ("../other/x.go", "/src/other/x.go"),
])
def test_paths_are_relative_to_the_module_root(printed: str, expected: str) -> None:
    (d,) = parse.parse_text(f"{printed}:1:2: boom", W)
    assert d.file == expected


# go 1.27: vet -json writes JSON to stdout; type errors go to stderr as text.
VET_127 = """{
\t"example.com/m/s3": {
\t\t"printf": [
\t\t\t{
\t\t\t\t"posn": "/src/mod/s3/minio_test.go:9:10",
\t\t\t\t"end": "/src/mod/s3/minio_test.go:9:12",
\t\t\t\t"message": "(*testing.common).Logf format %d has arg \\"x\\" of wrong type string"
\t\t\t}
\t\t]
\t}
}
{}
# example.com/m/other
# [example.com/m/other]
vet: other/o.go:3:5: undefined: nope
"""

# go 1.22: the same, but the JSON comes on stderr between `# pkg` headers.
VET_122 = """# example.com/m/s3
# [example.com/m/s3]
{
\t"example.com/m/s3 [example.com/m/s3.test]": {
\t\t"printf": [
\t\t\t{
\t\t\t\t"posn": "/src/mod/s3/minio_test.go:9:2",
\t\t\t\t"message": "(*testing.common).Logf format %d has arg \\"x\\" of wrong type string"
\t\t\t}
\t\t]
\t}
}
"""


def test_vet_json_and_type_errors_from_go_1_27() -> None:
    diags = parse.parse_vet(VET_127, WV)
    assert [(d.category, d.analyzer, d.file, d.line, d.col, d.package) for d in diags] == [
        ("vet", "printf", "s3/minio_test.go", 9, 10, "example.com/m/s3"),
        ("undefined", "", "other/o.go", 3, 5, "example.com/m/other"),
    ]
    assert diags[0].message == '(*testing.common).Logf format %d has arg "x" of wrong type string'


def test_vet_json_from_go_1_22_with_test_variant_package_ids() -> None:
    (d,) = parse.parse_vet(VET_122, WV)
    assert (d.analyzer, d.package, d.file, d.line, d.col) == (
        "printf", "example.com/m/s3", "s3/minio_test.go", 9, 2)


def test_vet_analyzer_error_objects_are_kept() -> None:
    text = '{\n\t"m": {\n\t\t"buildtag": {"error": "analysis failed"}\n\t}\n}\n'
    (d,) = parse.parse_vet(text, WV)
    assert d.analyzer == "buildtag" and d.message == "analysis failed"


def test_broken_json_block_is_kept_as_text() -> None:
    text = "{\n\tnot json\n}\n"
    diags = parse.parse_vet(text, WV)
    assert {d.category for d in diags} == {"other"}
    assert any("not json" in d.message for d in diags)


def test_dedupe_drops_exact_repeats_only() -> None:
    diags = parse.parse_text("a.go:1:2: x\na.go:1:2: x\na.go:1:3: x\n", W)
    assert len(parse.dedupe(diags)) == 2


def test_positions_in_files_that_are_not_go_are_parsed() -> None:
    """A //line directive's file (with or without a column), and an assembly file; go's own
    files (go.mod) are not source positions and stay `other`."""
    text = ("# m\n"
            "./expressions.y:106: cannot use big + 0 (untyped int constant 1099511627776) as int "
            "value in argument to fmt.Sprint (overflows)\n"
            "gram/expressions.y:120:39: undefined: yylex\n"
            "./asm_386.s:12: unrecognized instruction \"MOVQQ\"\n"
            "/src/mod/go.mod:3: unknown directive: foo\n")
    diags = parse.parse_text(text, W)
    assert [(d.file, d.line, d.col, d.category) for d in diags] == [
        ("expressions.y", 106, 0, "overflow"),
        ("gram/expressions.y", 120, 39, "undefined"),
        ("asm_386.s", 12, 0, "compile"),
        ("", 0, 0, "other"),
    ]
    assert diags[0].message.startswith("cannot use big + 0") and diags[0].package == "m"
    assert diags[3].message == "/src/mod/go.mod:3: unknown directive: foo"
