"""Findings are trustworthy end to end (the real go, `crossvet check`): one finding per real
error, whatever go prints around it and however each check words it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.conftest import FIXTURES, CliRunner

PARSE_FIXTURES = FIXTURES / "parse"


def check(cli: CliRunner, module: Path, tmp_path: Path, *extra: str) -> tuple[int, str,
                                                                             dict[str, Any]]:
    out = tmp_path / "results.json"
    res = cli("check", str(module), "--json", str(out), *extra)
    assert out.exists(), res.err
    return res.code, res.out, json.loads(out.read_text())


def test_internal_test_failing_under_an_external_test_package(cli: CliRunner,
                                                               tmp_path: Path) -> None:
    code, out, data = check(cli, PARSE_FIXTURES / "xtestfail", tmp_path,
                            "--targets", "linux/amd64")
    assert code == 1, out
    assert [(f["category"], f["file"], f["line"], f["message"]) for f in data["findings"]] == [
        ("compile", "p_internal_test.go", 6,
         'cannot use "one" (untyped string constant) as int value in variable declaration'),
        ("undefined", "p_internal_test.go", 8, "undefined: missing"),
    ]
    assert not any(f["message"].startswith("#") for f in data["findings"])
    assert "2 problems" in out


def test_a_syntax_error_seen_by_vet_build_and_typecheck_is_one_finding(cli: CliRunner,
                                                                        tmp_path: Path) -> None:
    code, _, data = check(cli, PARSE_FIXTURES / "syntax", tmp_path, "--targets", "linux/amd64",
                          "--checks", "vet,build,typecheck", "--vet", "go")
    assert code == 1
    findings = data["findings"]
    assert [(f["line"], f["col"], f["checks"]) for f in findings] == [
        (5, 1, ["build", "typecheck", "vet"]),
        (8, 11, ["build", "typecheck"]),
    ]
    assert findings[0]["message"] == "syntax error: unexpected }, expected expression"
    worded = {c for w in findings[0]["also_worded"] for c in w["checks"]}
    assert worded == {"typecheck", "vet"}
    assert data["summary"]["findings"] == 2


def test_redeclaration_from_vet_and_build_is_one_finding(cli: CliRunner, tmp_path: Path) -> None:
    _, _, data = check(cli, PARSE_FIXTURES / "redecl", tmp_path, "--targets", "linux/amd64",
                       "--checks", "vet,build", "--vet", "go")
    assert [(f["line"], f["checks"]) for f in data["findings"]] == [
        (5, ["build", "vet"]), (9, ["build"])]
    assert data["findings"][0]["message"].endswith("other declaration of X")


def test_a_file_name_with_a_newline_cannot_forge_or_lose_findings(cli: CliRunner,
                                                                   tmp_path: Path) -> None:
    module = tmp_path / "spaces"
    shutil.copytree(PARSE_FIXTURES / "spaces", module)
    (module / "k\n::warning::pwned.go").write_text("package spaces\n\nvar K int = 1 << 40\n")
    _, _, data = check(cli, module, tmp_path, "--targets", "linux/386", "--checks", "build")
    files = sorted((f["file"], f["category"]) for f in data["findings"])
    assert files == [
        ("a b.go", "compile"), ("c%d.go", "compile"), ("e`f.go", "compile"),
        ("g:h.go", "compile"), ("i::warning::j.go", "overflow"),
        ("k\n::warning::pwned.go", "overflow"),
    ]


def test_a_newline_in_a_subpackage_file_name_is_one_finding(cli: CliRunner,
                                                            tmp_path: Path) -> None:
    """vet and build print such a name over two lines; the job's `go list -json` settles it."""
    module = tmp_path / "mod"
    (module / "sub").mkdir(parents=True)
    (module / "go.mod").write_text("module example.com/nl\n\ngo 1.21\n")
    (module / "sub" / "ok.go").write_text("package sub\n")
    name = "k\n::warning::pwned.go"
    (module / "sub" / name).write_text("package sub\n\nvar X int = 1 << 40\n")
    code, _, data = check(cli, module, tmp_path, "--targets", "linux/386",
                          "--checks", "vet,build")
    assert code == 1
    assert [(f["file"], f["line"], f["category"], f["checks"]) for f in data["findings"]] == [
        ("sub/" + name, 3, "overflow", ["build", "vet"])]
