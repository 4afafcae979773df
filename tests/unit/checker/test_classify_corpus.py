"""Categories of the messages real toolchains print (Go 1.22 and 1.27, from tests/corpus/)."""

from __future__ import annotations

import pytest

from checker.classify import category, is_outside_workspace, is_syntax, is_unfetched
from tests.unit.checker.corpus import captures

# message -> category; every row is a message the corpus holds for both Go versions.
REAL = [
    ("undefined: plat.Only", "undefined"),
    ("undefined: syscall.SIGUSR1", "undefined"),
    ("undefined: linuxOnly", "undefined"),
    ("undefined: missing", "undefined"),
    ("undefined array length localN or missing type constraint", "undefined"),
    ("s.LinuxOnly undefined (type plat.S has no field or method LinuxOnly)", "undefined"),
    ("s.M undefined (type plat.S has no field or method M)", "undefined"),
    ("unknown field LinuxOnly in struct literal of type plat.S", "undefined"),
    ('cannot use "one" (untyped string constant) as int value in variable declaration',
     "compile"),
    ("cannot use 1 << 40 (untyped int constant 1099511627776) as int value in variable "
     "declaration (overflows)", "overflow"),
    ("X redeclared in this block", "compile"),
    ("syntax error: unexpected }, expected expression", "compile"),
    ("expected operand, found '}' (and 2 more errors)", "compile"),
    ("cannot find module providing package example.org/dep: module lookup disabled by "
     "GOPROXY=off", "compile"),
]
# Spellings of older toolchains, kept recognised (not in the corpus).
OLDER = [
    ("SIGUSR1 not declared by package syscall", "undefined"),
    ("undeclared name: platformName", "undefined"),
    ("s.Fd undefined (type *Stat_t has no method Fd)", "undefined"),
]


def _corpus_messages(version: str) -> set[str]:
    return {d.message.split("\n")[0] for c in captures() if c.record["go"].startswith(version)
            for p in c.pieces() for d in p.diagnostics}


@pytest.mark.parametrize("version", ["go1.22", "go1.27"])
def test_the_table_holds_real_messages(version: str) -> None:
    seen = _corpus_messages(version)
    assert [m for m, _ in REAL if m not in seen] == []


@pytest.mark.parametrize(("message", "expected"), REAL + OLDER)
def test_category(message: str, expected: str) -> None:
    assert category(message) == expected


def test_everything_missing_on_windows_is_undefined() -> None:
    """The undef fixture uses only things declared for linux: on windows each is `undefined`."""
    windows = [d for c in captures() if c.record["fixture"] == "undef"
               and c.record["target"] == "windows/386" for p in c.pieces() for d in p.diagnostics]
    assert len(windows) > 8
    assert {d.category for d in windows} == {"undefined"}


@pytest.mark.parametrize(("message", "syntax"), [
    ("syntax error: unexpected }, expected expression", True),
    ("syntax error: unexpected literal 2 at end of statement", True),
    ("expected operand, found '}' (and 2 more errors)", True),
    ("expected ';', found 2", True),
    ("missing ',' before newline in argument list", True),
    ("X redeclared in this block", False),
    ("undefined: x", False),
    ("cannot use x (variable of type int) as string value in assignment", False),
])
def test_is_syntax(message: str, syntax: bool) -> None:
    assert is_syntax(message) is syntax


@pytest.mark.parametrize(("message", "unfetched"), [
    ("module lookup disabled by GOPROXY=off", True),  # go list's DepsErrors, real (bbolt)
    ("golang.org/x/tools@v0.45.0: module lookup disabled by GOPROXY=off", True),  # x/net
    ('golang.org/x/sys@v0.46.0: Get "https://proxy.invalid/golang.org/x/sys/@v/v0.46.0.zip": '
     "dial tcp: lookup proxy.invalid on 10.255.255.53:53: no such host", True),
    ('unrecognized import path "golang.org/x/sys": https fetch: Get '
     '"https://golang.org/x/sys?go-get=1": dial tcp: lookup golang.org: no such host', True),
    ("module lookup disabled by GOPROXY=off\nimported through a -> b", True),
    # the module's own problems stay findings: an import no required module provides, a
    # version that does not exist
    ("cannot find module providing package example.org/dep: module lookup disabled by "
     "GOPROXY=off", False),
    ("no required module provides package example.org/dep; to add it:", False),
    ("example.org/dep@v9.0.0: reading https://proxy.golang.org/example.org/dep/@v/v9.0.0.zip: "
     "404 Not Found", False),
])
def test_a_module_that_could_not_be_downloaded_is_told_apart(message: str, unfetched: bool
                                                            ) -> None:
    assert is_unfetched(message) is unfetched


def test_a_module_the_go_work_does_not_use_is_told_apart() -> None:
    said = ("pattern ./...: directory prefix . does not contain modules listed in go.work or "
            "their selected dependencies")  # go 1.22-1.27, go list/vet/build alike
    assert is_outside_workspace(said)
    assert not is_outside_workspace("pattern ./...: directory prefix . does not contain main "
                                    "module or its selected dependencies")  # no go.work: code's
    assert not is_unfetched(said)
