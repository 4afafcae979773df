"""Categories for every spelling of the messages Go prints."""

from __future__ import annotations

import pytest

from checker.classify import category


@pytest.mark.parametrize(("message", "expected"), [
    ("cannot use maxPartSize * maxNumSize (untyped int constant 53687091200000) as int value in "
     "argument to fmt.Errorf (overflows)", "overflow"),
    ("cannot use math.MaxUint32 (untyped int constant 4294967295) as int value in variable "
     "declaration (overflows)", "overflow"),
    ("constant 4294967295 overflows int", "overflow"),
    ("cannot convert 1 << 40 (untyped int constant 1099511627776) to type int: overflows int",
     "overflow"),
    ("math.MaxInt64 (untyped int constant 9223372036854775807) overflows uintptr", "overflow"),
    ("undefined: platformName", "undefined"),
    ("s.Fd undefined (type *Stat_t has no field or method Fd)", "undefined"),
    ("undefined: syscall.SIGUSR1", "undefined"),
    ("cannot use \"s\" (untyped string constant) as int value in variable declaration",
     "compile"),
    ("missing return", "compile"),
    ("declared and not used: x", "compile"),
])
def test_positioned_messages(message: str, expected: str) -> None:
    assert category(message) == expected


def test_analyzer_wins_and_unpositioned_text_is_other() -> None:
    assert category("fmt.Sprintf format %d has arg x of wrong type string", analyzer="printf") \
        == "vet"
    assert category("go: cannot find main module", positioned=False) == "other"
