"""What go cannot load: every check agrees (typecheck reports what build reports)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import CliRunner


def test_a_package_go_cannot_load_fails_typecheck_as_it_fails_build(
        cli: CliRunner, tmp_path: Path) -> None:
    mod = tmp_path / "m"
    (mod / "sub pkg").mkdir(parents=True)
    (mod / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    (mod / "a.go").write_text("package m\n")
    (mod / "sub pkg" / "s.go").write_text("package sub\n")
    found = {}
    for checks in ("build", "typecheck"):
        out = tmp_path / f"{checks}.json"
        res = cli("check", str(mod), "--targets", "linux/amd64", "--checks", checks,
                  "--json", str(out))
        assert res.code == 1, res.err
        found[checks] = [f["message"] for f in json.loads(out.read_text())["findings"]]
    assert found["typecheck"] == found["build"] == [
        "malformed import path \"example.com/m/sub pkg\": invalid char ' '"]
