"""Line-level rules of the text parser: context, continuations, odd file names."""

from __future__ import annotations

import pytest

from checker import parse
from checker.model import Diagnostic

W = parse.Where(target="linux/386", check="build", module_dir="/src/mod")


@pytest.mark.parametrize("line", [
    "# example.com/p",
    "# example.com/p [example.com/p.test]",
    "# [example.com/p]",
    "too many errors",
    "./a.go:13:6: too many errors",
    "go: finding module for package example.org/dep",
    "go: downloading example.org/dep v1.2.3",
    "go: found example.org/dep in example.org/dep v1.2.3",
    "go: added example.org/dep v1.2.3",
    'go: warning: "./..." matched no packages',
])
def test_context_lines_are_never_findings(line: str) -> None:
    pieces = parse.scan_text(line + "\n", W)
    assert [p.lines for p in pieces] == [(line,)]
    assert pieces[0].is_context


def test_a_test_variant_header_sets_the_package_of_what_follows() -> None:
    text = ("# example.com/p [example.com/p.test]\n./p_test.go:6:14: undefined: x\n"
            "# [example.com/q]\nvet: q/q.go:1:2: undefined: y\n")
    assert [(d.package, d.file, d.message) for d in parse.parse_text(text, W)] == [
        ("example.com/p", "p_test.go", "undefined: x"),
        ("example.com/q", "q/q.go", "undefined: y"),
    ]


def test_other_declaration_joins_its_redeclaration() -> None:
    text = ("# m\n./r.go:5:5: X redeclared in this block\n\t./r.go:3:5: other declaration of X\n"
            "./r.go:9:6: F redeclared in this block\n\t./r.go:7:6: other declaration of F\n")
    diags = parse.parse_text(text, W)
    assert [(d.line, d.message) for d in diags] == [
        (5, "X redeclared in this block\n./r.go:3:5: other declaration of X"),
        (9, "F redeclared in this block\n./r.go:7:6: other declaration of F"),
    ]


def test_an_indented_line_after_a_header_is_not_glued_to_an_earlier_package() -> None:
    text = "./a.go:1:2: boom\n# m/other\n\tstray note\n"
    diags = parse.parse_text(text, W)
    assert [(d.category, d.message) for d in diags] == [
        ("compile", "boom"), ("other", "stray note")]


@pytest.mark.parametrize("name", ["a b.go", "c%d.go", "e`f.go", "g:h.go", "i::warning::j.go"])
def test_file_names_with_odd_characters(name: str) -> None:
    (d,) = parse.parse_text(f"./{name}:3:13: undefined: x\n", W)
    assert (d.file, d.line, d.col, d.message, d.category) == (
        name, 3, 13, "undefined: x", "undefined")


def test_a_newline_in_a_file_name_is_joined_back() -> None:
    text = "# m\n./k\n::warning::pwned.go:3:13: undefined: x\n"
    (d,) = parse.parse_text(text, W)
    assert (d.file, d.line, d.message) == ("k\n::warning::pwned.go", 3, "undefined: x")
    vet = parse.parse_text("vet: ./k\n::warning::pwned.go:3:13: undefined: x\n", W)
    assert [d.file for d in vet] == ["k\n::warning::pwned.go"]


def test_an_unparsed_message_is_not_glued_to_the_next_diagnostic() -> None:
    text = "ios/arm64 requires external (cgo) linking, but cgo is not enabled\n./a.go:1:2: boom\n"
    diags = parse.parse_text(text, W)
    assert [(d.category, d.file) for d in diags] == [("other", ""), ("compile", "a.go")]


def test_known_files_settle_a_newline_name_outside_the_package_directory() -> None:
    text = "sub/k\n::warning::pwned.go:3:13: boom\n"
    plain = parse.parse_text(text, W)  # without a file list: kept apart, nothing lost
    assert [(d.category, d.file) for d in plain] == [
        ("other", ""), ("compile", "::warning::pwned.go")]
    known = parse.Where(target="t", check="vet", module_dir="/src/mod",
                        files=frozenset({"sub/k\n::warning::pwned.go"}))
    (d,) = parse.parse_text(text, known)
    assert (d.file, d.message) == ("sub/k\n::warning::pwned.go", "boom")


def test_known_files_settle_a_go_position_inside_a_file_name() -> None:
    text = "./x.go:1: y.go:7:3: boom\n"
    (guess,) = parse.parse_text(text, W)  # the shortest name, without a file list
    assert (guess.file, guess.line, guess.message) == ("x.go", 1, "y.go:7:3: boom")
    known = parse.Where(target="t", check="vet", module_dir="/src/mod",
                        files=frozenset({"x.go:1: y.go"}))
    (d,) = parse.parse_text(text, known)
    assert (d.file, d.line, d.col, d.message) == ("x.go:1: y.go", 7, 3, "boom")


def test_build_json_load_error_is_not_attributed_to_the_missing_package() -> None:
    stdout = ('{"ImportPath":"example.org/dep","Action":"build-output","Output":"m.go:3:8: cannot '
              'find module providing package example.org/dep: module lookup disabled\\n"}\n'
              '{"ImportPath":"example.org/dep","Action":"build-fail"}\n')
    (d,) = parse.parse_build_json(stdout, W)
    assert (d.file, d.package) == ("m.go", "")


def test_a_listing_gives_packages_and_module_relative_files() -> None:
    stdout = ('{\n\t"Dir": "/src/mod/sub",\n\t"ImportPath": "example.com/m/sub",\n'
              '\t"GoFiles": ["a.go", "k\\n::warning::x.go"],\n\t"XTestGoFiles": ["a_test.go"]\n}\n'
              '{\n\t"Dir": "/src/mod",\n\t"ImportPath": "example.com/m",\n'
              '\t"TestGoFiles": ["m_test.go"]\n}\n')
    listing = parse.parse_listing(stdout, "/src/mod")
    assert listing.packages == ("example.com/m", "example.com/m/sub")
    assert listing.files == {"sub/a.go", "sub/k\n::warning::x.go", "sub/a_test.go",
                             "m_test.go"}


def test_a_listing_cut_short_keeps_what_came_before() -> None:
    stdout = '{"Dir": "/src/mod", "ImportPath": "m", "GoFiles": ["a.go"]}\ngo: killed\n{"Dir'
    listing = parse.parse_listing(stdout, "/src/mod")
    assert listing.packages == ("m",) and listing.files == {"a.go"}


def test_modules_that_could_not_be_downloaded_are_one_error_not_findings() -> None:
    def d(message: str, file: str = "a.go") -> Diagnostic:
        return Diagnostic(target="linux/amd64", check="typecheck", file=file, line=3, col=2,
                          message=message, category="compile", package="m")

    found = d("undefined: x")
    assert parse.split_environment((found,)) == ((found,), "")
    offline = (d("module lookup disabled by GOPROXY=off"), found,
               d("module lookup disabled by GOPROXY=off\nimported through m/b -> m/c", "b.go"))
    kept, error = parse.split_environment(offline)
    assert kept == (found,)
    assert error == ("a required module could not be downloaded (module lookup disabled by "
                     "GOPROXY=off): download the module's dependencies first (`go mod download` "
                     "where the module proxy is reachable) or use a go.work that uses local "
                     "checkouts")
    kept, error = parse.split_environment(
        (d("golang.org/x/tools@v0.45.0: module lookup disabled by GOPROXY=off"), *offline))
    assert error.startswith("a required module could not be downloaded (golang.org/x/tools@"
                            "v0.45.0: module lookup disabled by GOPROXY=off): ")
    no_network = tuple(d(f'example.com/{m}@v1.0.0: Get "https://proxy.invalid/example.com/{m}/@v/'
                         'v1.0.0.zip": dial tcp: lookup proxy.invalid: no such host')
                       for m in ("d", "a", "c", "b"))
    kept, error = parse.split_environment(no_network)
    assert kept == ()
    assert error.startswith("a required module could not be downloaded (example.com/a@v1.0.0, "
                            "example.com/b@v1.0.0, example.com/c@v1.0.0 and 1 more: dial tcp: "
                            "lookup proxy.invalid: no such host): ")


def test_a_module_outside_the_workspace_is_an_error_beside_the_code_findings() -> None:
    outside = Diagnostic(target="linux/386", check="vet", message="pattern ./...: directory "
                         "prefix . does not contain modules listed in go.work or their selected "
                         "dependencies", category="other", package="")
    found = Diagnostic(target="linux/386", check="vet", file="a.go", line=1, col=1,
                       message="undefined: x", category="undefined", package="m")
    kept, error = parse.split_environment((outside, found))
    assert kept == (found,)
    assert error.startswith("the go.work in use does not `use` this module (go: pattern ./...: ")
