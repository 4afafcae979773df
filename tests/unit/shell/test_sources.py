"""crossvet/sources.py: a check's one walk of the module reads the same claims as a plan's
header-only reads, and every inline suppression."""

from __future__ import annotations

from pathlib import Path

import pytest

from crossvet import sources
from matrix.errors import ConfigError

LICENCE = "".join(f"// licence line {n}, long enough to need more than one read\n"
                  for n in range(200))


def _module(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_one_walk_reads_the_plans_claims_and_the_suppressions(tmp_path: Path) -> None:
    mod = _module(tmp_path, {
        "go.mod": "module example.com/m\n\ngo 1.21\n",
        "lock_plan9.go": "package m\n",
        "sys.go": "//go:build solaris || illumos\n\npackage m\n\n"
                  "var x = 1 //crossvet:ignore overflow -- known on 32-bit\n",
        "long.go": LICENCE + "\n//go:build aix\n\npackage m\n",
        "cmd/tool/main.go": "package main\n\nfunc main() {}\n",
        "asm_arm64.s": "#include \"textflag.h\"\n",
        "plain.go": "package m\n",
        ".github/workflows/ci.yml": "jobs:\n  b:\n    env:\n      GOOS: freebsd\n",
    })
    read = sources.module_sources(str(mod))
    assert read.facts == sources.module_facts(str(mod))
    assert [f.path for f in read.facts.files] == [
        "asm_arm64.s", "cmd/tool/main.go", "lock_plan9.go", "long.go", "sys.go"]
    assert [w for w, _ in read.facts.workflows] == [".github/workflows/ci.yml"]
    (rule,) = read.rules
    assert (rule.file, rule.line, rule.reason) == ("sys.go", 5, "known on 32-bit")


def test_a_malformed_suppression_names_its_file_and_line(tmp_path: Path) -> None:
    mod = _module(tmp_path, {"go.mod": "module example.com/m\n",
                             "a.go": "package m\n\n//crossvet:ignore overflow\n"})
    with pytest.raises(ConfigError) as exc:
        sources.module_sources(str(mod))
    assert (exc.value.source, exc.value.line) == ("a.go", 3)
