"""Typed errors. Each maps to one documented exit code at the entry point (crossvet.cli)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INFRA = 3
EXIT_INTERRUPTED = 130


class CrossvetError(Exception):
    """Base class; never raised directly."""

    exit_code = EXIT_INFRA


class UsageError(CrossvetError):
    """Bad command line, unknown target, bad input file."""

    exit_code = EXIT_USAGE


class ConfigError(UsageError):
    """A bad configuration file or environment value, with where it came from."""

    def __init__(self, message: str, *, source: str = "", line: int = 0) -> None:
        where = source + (f":{line}" if line else "")
        super().__init__(f"{where}: {message}" if where else message)
        self.source = source
        self.line = line


class NoPackagesError(UsageError):
    """The run checked no package and found nothing: the patterns match no package that builds
    for any target (a module with no packages, a pattern that matches none). Not "ok"."""


class InfraError(CrossvetError):
    """The machinery failed: no `go`, a toolchain crash, no Docker daemon, a timeout."""

    exit_code = EXIT_INFRA
