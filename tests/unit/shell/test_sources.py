"""crossvet/sources.py: a check's one walk of the module reads the same claims as a plan's
header-only reads, and every inline suppression."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crossvet import sources
from matrix.claims import claimed
from matrix.errors import ConfigError
from matrix.targets import Port

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


def _claimed(mod: Path) -> tuple[str, ...]:
    ports = tuple(Port(goos=o, goarch=a) for o, a in (
        ("linux", "amd64"), ("linux", "386"), ("plan9", "amd64"), ("solaris", "amd64"),
        ("aix", "ppc64"), ("freebsd", "amd64")))
    return claimed(ports, sources.module_sources(str(mod)).facts).ids


def test_every_warm_run_reads_what_changed(tmp_path: Path) -> None:
    """Nothing of the walk is kept between runs (issue #25 made it fast, not cached): a new
    file, a renamed one and an edited constraint line change the next run's claims at once,
    whatever the files' times say."""
    mod = _module(tmp_path, {"go.mod": "module example.com/m\n", "a.go": "package m\n"})
    assert _claimed(mod) == ()
    (mod / "lock_plan9.go").write_text("package m\n")  # a new file
    assert _claimed(mod) == ("plan9/amd64",)
    (mod / "lock_plan9.go").rename(mod / "lock_aix.go")  # renamed
    assert _claimed(mod) == ("aix/ppc64",)
    stat = (mod / "a.go").stat()
    (mod / "a.go").write_text("//go:build solaris\n\npackage m\n")  # an edited constraint,
    os.utime(mod / "a.go", ns=(stat.st_atime_ns, stat.st_mtime_ns))  # its old mtime put back
    assert set(_claimed(mod)) == {"aix/ppc64", "solaris/amd64"}


@pytest.mark.parametrize(("text", "cgo"), [
    ('package m\n\n// #include <stdio.h>\nimport "C"\n', True),
    ('package m\n\nimport\t"C"\n', True),
    ('package m\n\nimport (\n\t"fmt"\n)\n\nvar s = "C"\n', False),  # "C", not imported
    ('package m\n\n// import "C" in a comment\n', False),
])
def test_a_cgo_file_is_one_that_imports_c(tmp_path: Path, text: str, cgo: bool) -> None:
    mod = _module(tmp_path, {"go.mod": "module example.com/m\n", "x_linux.go": text})
    (f,) = sources.module_sources(str(mod)).facts.files
    assert f.cgo is cgo
    assert sources.module_facts(str(mod)).cgo is cgo
