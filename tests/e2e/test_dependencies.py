"""Dependencies' code on every target (issue #25): a dependency module's function body that does
not build on a port is a finding of its usual category, attributed to the dependency and placed
on the go.mod `require` line that brings it in; a dependency with no files for a target is one
finding at the import, with the import chain."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SMALL_TARGETS, CliRunner
from tests.helpers.typecheck_helpers import build_engine, cli_env

GO_MOD = """module example.com/m

go 1.21

require (
\texample.com/dep v0.1.0
\texample.com/ux v0.2.0 // indirect
)

replace example.com/dep => ../dep

replace example.com/ux v0.2.0 => ../ux
"""
REQUIRE_DEP_LINE = 6


@pytest.fixture(scope="module")
def engine(go_env: dict[str, str]) -> str:
    return build_engine(go_env)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def _modules(tmp: Path) -> Path:
    """m requires dep (whose SpanLimit overflows where int is 32 bits wide) and ux (whose only
    package has files for linux only), both through `replace`d local directories."""
    _write(tmp, {
        "dep/go.mod": "module example.com/dep\n\ngo 1.21\n",
        "dep/span/span.go": 'package span\n\nimport "math"\n\n'
                            "// SpanLimit is the largest span.\n"
                            "func SpanLimit() int { return math.MaxUint32 }\n",
        "ux/go.mod": "module example.com/ux\n\ngo 1.21\n",
        "ux/u/u_linux.go": 'package u\n\nconst Name = "linux"\n',
        "m/go.mod": GO_MOD,
        "m/app/app.go": 'package app\n\nimport "example.com/dep/span"\n\n'
                        "func Limit() int { return span.SpanLimit() }\n",
    })
    return tmp / "m"


def _check(cli: CliRunner, engine: str, tmp: Path, mod: Path, targets: str,
           *extra: str) -> list[dict[str, Any]]:
    out = tmp / "results.json"
    res = cli("check", str(mod), "--targets", targets, "--json", str(out), *extra,
              env=cli_env(engine, str(tmp / "cache")))
    assert res.err == "", res.err
    findings: list[dict[str, Any]] = json.loads(out.read_text())["findings"]
    return findings


def test_a_dependency_body_that_overflows_is_one_finding_on_its_require_line(
        cli: CliRunner, engine: str, tmp_path: Path) -> None:
    mod = _modules(tmp_path)
    findings = _check(cli, engine, tmp_path, mod, SMALL_TARGETS)  # typecheck and vet
    assert [(f["category"], f["file"], f["line"], f["targets"]) for f in findings] == [
        ("overflow", "go.mod", REQUIRE_DEP_LINE, ["linux/386", "linux/arm", "windows/386"])]
    f = findings[0]
    assert f["dependency"] == "example.com/dep@v0.1.0"
    assert f["message"].splitlines() == [
        "example.com/dep@v0.1.0 => ../dep span/span.go:6:31: cannot use math.MaxUint32 "
        "(untyped int constant 4294967295) as int value in return statement (overflows)",
        "imported through example.com/m/app -> example.com/dep/span"]
    for word in ("upgrade", "pin", "replace", "drop these targets",
                 "go get example.com/dep@latest"):
        assert word in f["explanation"]
    # An edit elsewhere in the module: the whole-run answer is not reused, each package's is
    # (the dependency's finding included), with identical findings.
    _write(mod, {"other/other.go": "package other\n\nconst X = 1\n"})
    assert _check(cli, engine, tmp_path, mod, SMALL_TARGETS) == findings


def test_go_builds_report_of_a_dependency_error_merges_with_the_engines(
        cli: CliRunner, engine: str, tmp_path: Path) -> None:
    """go build reports the overflow at the dependency's file; it is the same problem as the
    engine's finding on the require line: one finding, found by both checks."""
    mod = _modules(tmp_path)
    findings = _check(cli, engine, tmp_path, mod, "linux/amd64,linux/386",
                      "--checks", "build,typecheck")
    assert [(f["category"], f["file"], f["line"], f["checks"], f["targets"], f["dependency"])
            for f in findings] == [("overflow", "go.mod", REQUIRE_DEP_LINE,
                                    ["build", "typecheck"], ["linux/386"],
                                    "example.com/dep@v0.1.0")]
    assert findings[0]["message"].startswith("example.com/dep@v0.1.0 => ../dep span/span.go:6:31")


def test_a_dependency_with_no_files_for_a_target_is_one_finding_with_the_import_chain(
        cli: CliRunner, engine: str, tmp_path: Path) -> None:
    mod = _modules(tmp_path)
    _write(mod, {"sys/sys.go": 'package sys\n\nimport (\n\t"fmt"\n\n\t"example.com/ux/u"\n)\n\n'
                               "func Name() string { return fmt.Sprint(u.Name) }\n"})
    findings = _check(cli, engine, tmp_path, mod, "linux/amd64,windows/amd64",
                      "--checks", "typecheck")
    assert [(f["file"], f["line"], f["col"], f["targets"]) for f in findings] == [
        ("sys/sys.go", 6, 2, ["windows/amd64"])]
    first, chain = findings[0]["message"].splitlines()
    assert first == f"build constraints exclude all Go files in {tmp_path / 'ux' / 'u'}"
    assert chain == "imported through example.com/m/sys -> example.com/ux/u"
