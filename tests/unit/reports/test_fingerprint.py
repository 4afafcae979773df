"""Fingerprints survive edits: lines inserted above, reformatting elsewhere; and tell the same
message in two functions apart."""

from __future__ import annotations

from dataclasses import replace

from reports import fingerprint as fp
from reports.baseline import with_contexts
from reports.results import Results
from tests.helpers.builders import diag, target

SOURCE = """package s3

import "fmt"

const (
	maxPartSize = 1024 * 1024 * 1024 * 5
	maxNumSize  = 10000
)

func CheckSize(size int64) error {
	if size > maxPartSize*maxNumSize {
		return fmt.Errorf("size must be less than %db", maxPartSize*maxNumSize)
	}
	return nil
}

func CheckOther(size int64) error {
	if size > maxPartSize*maxNumSize {
		return fmt.Errorf("size must be less than %db", maxPartSize*maxNumSize)
	}
	return nil
}
"""
MSG = "cannot use maxPartSize * maxNumSize (untyped int constant 53687091200000) as int value"


def line_of(text: str) -> fp.LineOf:
    lines = text.encode().split(b"\n")
    return lambda n: lines[n - 1] if 1 <= n <= len(lines) else None


def at(text: str, needle: str, nth: int = 0) -> int:
    found = [i + 1 for i, line in enumerate(text.split("\n")) if needle in line]
    return found[nth]


def print_of(text: str, line: int) -> str:
    return fp.fingerprint(category="overflow", analyzer="", file="s3/minio.go", message=MSG,
                          context=fp.source_context(line_of(text), line))


def test_lines_inserted_above_do_not_change_it() -> None:
    before = print_of(SOURCE, at(SOURCE, "fmt.Errorf("))
    edited = SOURCE.replace('import "fmt"\n', 'import "fmt"\n\n// A new comment.\nvar x = 1\n\n')
    line = at(edited, "fmt.Errorf(")
    assert line == at(SOURCE, "fmt.Errorf(") + 4
    assert print_of(edited, line) == before


def test_reformatting_elsewhere_and_on_the_line_does_not_change_it() -> None:
    before = print_of(SOURCE, at(SOURCE, "fmt.Errorf("))
    edited = (SOURCE.replace("maxNumSize  = 10000", "maxNumSize = 10000")
              .replace("\t\treturn fmt.Errorf(", "\t\treturn   fmt.Errorf(")
              .replace("return nil\n}\n\nfunc CheckOther", "return nil\n}\nfunc CheckOther"))
    assert print_of(edited, at(edited, "fmt.Errorf(")) == before
    # a trailing comment (such as a suppression) is not part of the line's content either
    commented = SOURCE.replace("maxPartSize*maxNumSize)\n", "maxPartSize*maxNumSize) // x\n", 1)
    assert print_of(commented, at(commented, "fmt.Errorf(")) == before


def test_the_same_line_in_another_function_differs() -> None:
    first = print_of(SOURCE, at(SOURCE, "fmt.Errorf(", 0))
    second = print_of(SOURCE, at(SOURCE, "fmt.Errorf(", 1))
    assert first != second
    # ...and a changed line differs too
    edited = SOURCE.replace("maxPartSize*maxNumSize)", "maxPartSize*maxNumSize*2)", 1)
    assert print_of(edited, at(edited, "fmt.Errorf(")) != first


def test_declaration_names_and_messages_are_normalized() -> None:
    lines = line_of(SOURCE)
    assert fp.declaration(lines, at(SOURCE, "fmt.Errorf(")) == b"funcCheckSize"
    method = line_of("package p\n\nfunc (r *Reader) Read(p []byte) (int, error) {\n\treturn 0\n}")
    assert fp.declaration(method, 4) == b"func(r*Reader)Read"
    assert fp.declaration(lines, 2) == b""
    assert fp.normalize_message("x redeclared\n\tother declaration of x at a.go:12:3") == \
        fp.normalize_message("x redeclared\n\tother declaration of x at a.go:40:1")
    assert fp.normalize_message("bad (and 3 more errors)") == "bad"
    assert fp.source_context(lines, 0) == "" and fp.source_context(lines, 999) == ""


def test_contexts_are_kept_on_diagnostics_and_set_the_findings_fingerprint() -> None:
    line = at(SOURCE, "fmt.Errorf(")
    res = Results(targets=(target("linux/386", diag("linux/386", line=line, message=MSG)),),
                  checks=("vet", "build"))
    files = {"s3/minio.go": line_of(SOURCE)}
    got = with_contexts(res, lambda f, n: files[f](n) if f in files else None)
    (d,) = got.diagnostics
    assert d.context == fp.source_context(line_of(SOURCE), line) != ""
    (f,) = got.findings
    assert f.fingerprint == print_of(SOURCE, line)
    assert f.fingerprint != res.findings[0].fingerprint  # no source: message only
    # unreadable file: no context, the fingerprint still exists
    none = with_contexts(replace(res), lambda f, n: None)
    assert none.findings[0].fingerprint == res.findings[0].fingerprint != ""
