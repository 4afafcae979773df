"""Config file, environment and flags: precedence and errors, pure and table-driven."""

from __future__ import annotations

from typing import Any

import pytest

from matrix import config
from matrix.errors import ConfigError, UsageError
from matrix.options import resolve_check

FILE = """\
targets: [first-class, 32bit]
checks: vet
tags:
  - []
  - [netgo]
cgo: host
go_versions: ["1.22", go1.27.3]
packages: ./pkg/...
jobs: 3
timeout: 60
"""


def resolve(flags: dict[str, Any] | None = None, env: dict[str, str] | None = None,
            text: str | None = FILE) -> Any:
    return resolve_check(flags or {}, env or {}, cpu_count=8, config_text=text,
                         config_source=".crossvet.yaml")


def test_file_values() -> None:
    o = resolve()
    assert (o.targets, o.checks, o.tag_sets, o.tags, o.cgo) == (
        "first-class,32bit", ("vet",), ((), ("netgo",)), (), "host")
    assert (o.go_versions, o.packages, o.jobs, o.timeout) == (("1.22", "1.27.3"),
                                                             ("./pkg/...",), 3, 60.0)
    assert o.config_path == ".crossvet.yaml"


@pytest.mark.parametrize("case", [
    ("targets", "targets", "linux/386", "CROSSVET_TARGETS", "all", "linux/386"),
    ("checks", "checks", "build", "CROSSVET_CHECKS", "vet,build", ("build",)),
    ("tag_sets", "tags", ";purego", "CROSSVET_TAGS", "a,b", ((), ("purego",))),
    ("cgo", "cgo", "off", "CROSSVET_CGO", "linux/*", "off"),
    ("go_versions", "go_versions", "1.21", "CROSSVET_GO_VERSIONS", "1.23", ("1.21",)),
    ("packages", "packages", ["./a/...", "./b"], "CROSSVET_PACKAGES", "./c", ("./a/...", "./b")),
    ("jobs", "jobs", 5, "CROSSVET_JOBS", "7", 5),
    ("timeout", "timeout", 0, "CROSSVET_TIMEOUT", "30", None),
])
def test_precedence(case: tuple[str, str, Any, str, str, Any]) -> None:
    """flags > environment > file > defaults, for every key."""
    key, flag, flag_value, env_var, env_value, expected = case
    default = getattr(resolve(text=None), key)
    from_file = getattr(resolve(), key)
    from_env = getattr(resolve(env={env_var: env_value}), key)
    from_flag = getattr(resolve(flags={flag: flag_value}, env={env_var: env_value}), key)
    assert from_flag == expected
    assert from_env not in (from_file, expected)
    assert from_file != default


def test_defaults_without_file() -> None:
    o = resolve(text=None)
    assert (o.targets, o.checks, o.tag_sets, o.cgo, o.jobs, o.timeout, o.vet) == (
        "", ("typecheck", "vet"), ((),), "auto", 8, 900.0, "engine")


def test_release_preset_adds_build_unless_checks_are_given() -> None:
    assert resolve(text=None, flags={"targets": "release"}).checks == (
        "typecheck", "vet", "build")
    assert resolve(text=None, flags={"targets": "release", "checks": "vet"}).checks == ("vet",)
    assert resolve(text=None, flags={"targets": "linux/amd64"}).checks == ("typecheck", "vet")


def test_vet_mode_is_engine_or_go() -> None:
    assert resolve(text="vet: go\n").vet == "go"
    assert resolve(text=None, env={"CROSSVET_VET": "GO"}).vet == "go"
    with pytest.raises(ConfigError, match="--vet"):
        resolve(text=None, flags={"vet": "gopls"})


@pytest.mark.parametrize(("text", "line", "message"), [
    ("checks: vet\ntagets: all\n", 2, "unknown key 'tagets' (did you mean 'targets'?)"),
    ("jobs: 2\n\ngo_version: ['1.22']\n", 3, "did you mean 'go_versions'?"),
    ("jobs: two\n", 1, "jobs should be a whole number"),
    ("jobs: 0\n", 1, "at least 1"),
    ("jobs: true\n", 1, "whole number, not a boolean"),
    ("checks: [vet, lint]\n", 1, "unknown check 'lint'"),
    ("tags: [[netgo], purego]\n", 1, "tags should be a list of tag lists"),
    ("tags: [['bad tag']]\n", 1, "bad build tag"),
    ("targets: {a: 1}\n", 1, "targets should be a string or a list of strings"),
    ("go_versions: [latest]\n", 1, "bad Go version"),
    ("timeout: soon\n", 1, "number of seconds"),
    ("timeout: -5\n", 1, "at least 0 (0: no limit), got -5"),
    ("timeout: .nan\n", 1, "a finite number of seconds"),
    ("timeout: .inf\n", 1, "a finite number of seconds"),
    ("cgo: 3\n", 1, "cgo should be auto, off, on, host"),
    ("jobs: 1\njobs: 2\n", 2, "set twice (first on line 1)"),
    ("- targets\n", 1, "expected a mapping"),
    ("targets: [linux\n", 2, "not valid YAML"),
])
def test_file_errors_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        config.parse(text, source=".crossvet.yaml")
    assert info.value.line == line
    assert str(info.value).startswith(f".crossvet.yaml:{line}: ")
    assert message in str(info.value)


@pytest.mark.parametrize(("flags", "env", "where"), [
    ({"jobs": 0}, {}, "--jobs"),
    ({}, {"CROSSVET_JOBS": "x"}, "CROSSVET_JOBS"),
    ({}, {"CROSSVET_TAGS": "a b"}, "CROSSVET_TAGS"),
    ({"checks": "vet,lint"}, {}, "--checks"),
    ({"timeout": -5.0}, {}, "--timeout"),
    ({"timeout": float("nan")}, {}, "--timeout"),
    ({"timeout": float("inf")}, {}, "--timeout"),
    ({}, {"CROSSVET_TIMEOUT": "-1"}, "CROSSVET_TIMEOUT"),
    ({}, {"CROSSVET_TIMEOUT": "nan"}, "CROSSVET_TIMEOUT"),
])
def test_flag_and_env_errors_name_their_source(flags: dict[str, Any], env: dict[str, str],
                                               where: str) -> None:
    with pytest.raises(UsageError, match=f"^{where}: "):
        resolve(flags=flags, env=env, text=None)


def test_empty_file_is_fine() -> None:
    assert config.parse("", source="x") == {}
    assert config.parse("# only comments\n", source="x") == {}
