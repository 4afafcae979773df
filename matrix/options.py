"""Options for `crossvet check`, resolved in one place: flags > environment > defaults.

The environment is passed in (never read from os.environ here), so resolution is pure.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crossvet.errors import ConfigError
from matrix.plan import DEFAULT_CHECKS, parse_checks

DEFAULT_TIMEOUT = 900.0  # seconds per job; a hung `go` is killed after this


@dataclass(frozen=True, kw_only=True)
class CheckOptions:
    module_dir: str
    targets: str = ""  # comma list of target ids; empty means the default set
    checks: tuple[str, ...] = DEFAULT_CHECKS
    packages: tuple[str, ...] = ("./...",)
    tags: tuple[str, ...] = ()
    jobs: int = 2
    timeout: float | None = DEFAULT_TIMEOUT
    go: str = ""  # explicit go binary; empty means `go` on PATH
    json_path: str = ""
    junit_path: str = ""
    markdown_path: str = ""


def _int(value: str, name: str, source: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {value!r}", source=source) from None
    if n < 1:
        raise ConfigError(f"{name} must be at least 1, got {n}", source=source)
    return n


def _timeout(value: str, source: str) -> float | None:
    try:
        t = float(value)
    except ValueError:
        raise ConfigError(f"timeout must be a number of seconds, got {value!r}",
                          source=source) from None
    return None if t <= 0 else t


def _split(value: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in value.split(",") if p.strip())


def resolve_check(flags: Mapping[str, Any], env: Mapping[str, str],
                  cpu_count: int | None = None) -> CheckOptions:
    """Merge command-line flags (None = not given) over CROSSVET_* variables over defaults."""

    def pick(flag: str, var: str) -> tuple[Any, str]:
        if flags.get(flag) is not None:
            return flags[flag], f"--{flag.replace('_', '-')}"
        if env.get(var, "") != "":
            return env[var], var
        return None, ""

    opts: dict[str, Any] = {"module_dir": os.path.abspath(flags.get("path") or ".")}
    value, _ = pick("targets", "CROSSVET_TARGETS")
    if value is not None:
        opts["targets"] = str(value)
    value, src = pick("checks", "CROSSVET_CHECKS")
    if value is not None:
        opts["checks"] = parse_checks(str(value))
    value, src = pick("tags", "CROSSVET_TAGS")
    if value is not None:
        opts["tags"] = _split(str(value))
    value, src = pick("jobs", "CROSSVET_JOBS")
    opts["jobs"] = _int(str(value), "jobs", src) if value is not None else max(1, cpu_count or 2)
    value, src = pick("timeout", "CROSSVET_TIMEOUT")
    if value is not None:
        opts["timeout"] = _timeout(str(value), src)
    value, _ = pick("go", "CROSSVET_GO")
    if value:
        opts["go"] = str(value)
    for key in ("json_path", "junit_path", "markdown_path"):
        if flags.get(key):
            opts[key] = str(flags[key])
    packages = flags.get("packages")
    if packages:
        opts["packages"] = tuple(packages)
    return CheckOptions(**opts)
