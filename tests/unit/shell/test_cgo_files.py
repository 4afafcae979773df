"""Which files are cgo files, for `cgo: auto` (crossvet/sources.py)."""

from __future__ import annotations

from pathlib import Path

from crossvet import sources


def test_a_file_that_imports_c_is_a_cgo_file_in_both_walks(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module m\n\ngo 1.22\n")
    (tmp_path / "c.go").write_text('package m\n\n// #include <stdio.h>\nimport "C"\n\n'
                                   "func F() {}\n")
    (tmp_path / "plain.go").write_text('package m\n\nimport "fmt"\n\n// import "C"\n'
                                       'var _ = fmt.Sprint("import \\"C\\"")\n')
    for facts in (sources.module_facts(str(tmp_path)),
                  sources.module_sources(str(tmp_path)).facts):
        assert facts.cgo
        assert [f.path for f in facts.files if f.cgo] == ["c.go"]
    (tmp_path / "c.go").unlink()
    assert not sources.module_facts(str(tmp_path)).cgo


def test_import_c_in_a_raw_string_after_the_imports_is_no_cgo_file(tmp_path: Path) -> None:
    """x/sys's unix/internal/mkmerge/mkmerge_test.go holds Go sources in raw strings."""
    (tmp_path / "go.mod").write_text("module m\n\ngo 1.22\n")
    (tmp_path / "gen_test.go").write_text(
        'package m\n\nimport "testing"\n\nfunc TestGen(t *testing.T) {\n'
        '\tsrc := `package x\n\nimport "C"\n`\n\t_ = src\n}\n')
    for facts in (sources.module_facts(str(tmp_path)),
                  sources.module_sources(str(tmp_path)).facts):
        assert not facts.cgo
        assert not [f for f in facts.files if f.cgo]
