"""The I/O edge of planning: read .crossvet.yaml and .goreleaser.yaml, ask the toolchain for its
ports, host and file selections, and hand it all to the pure planner (matrix/)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from checker import golist, portcache
from checker.toolchain import Toolchain
from crossvet.errors import ConfigError, UsageError
from matrix import equivalence
from matrix.config import CONFIG_NAMES
from matrix.options import CheckOptions, resolve_check
from matrix.plan import Plan
from matrix.planner import PlanInputs, make_plan

GORELEASER_NAMES = (".goreleaser.yaml", ".goreleaser.yml")


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", source=path) from None


def find_config(module_dir: str, explicit: str = "") -> str:
    """The config file to read: --config / CROSSVET_CONFIG, else .crossvet.yaml if present."""
    if explicit:
        return explicit
    for name in CONFIG_NAMES:
        path = os.path.join(module_dir, name)
        if os.path.isfile(path):
            return path
    return ""


def resolve(flags: Mapping[str, Any], env: Mapping[str, str],
            cpu_count: int | None) -> CheckOptions:
    """Options from flags, environment and the module's config file."""
    module_dir = os.path.abspath(flags.get("path") or ".")
    path = find_config(module_dir, flags.get("config") or env.get("CROSSVET_CONFIG", ""))
    text = _read(path) if path else None
    return resolve_check(flags, env, cpu_count, config_text=text, config_source=_shown(path))


def _shown(path: str) -> str:
    """A path as error messages show it: relative to the working directory when inside it."""
    if not path:
        return ""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def goreleaser_file(opts: CheckOptions) -> tuple[str | None, str]:
    if opts.goreleaser:
        path = os.path.join(opts.module_dir, opts.goreleaser)
        return _read(path), opts.goreleaser
    for name in GORELEASER_NAMES:
        path = os.path.join(opts.module_dir, name)
        if os.path.isfile(path):
            return _read(path), name
    return None, GORELEASER_NAMES[0]


def build_plan(opts: CheckOptions, tc: Toolchain, env: Mapping[str, str]) -> Plan:
    """The plan `crossvet plan` prints and `crossvet check` runs, equivalent jobs merged."""
    if not os.path.isdir(opts.module_dir):
        raise UsageError(f"{opts.module_dir}: no such directory")
    text, source = goreleaser_file(opts)
    inputs = PlanInputs(ports=portcache.ports(tc, env), goreleaser_text=text,
                        goreleaser_source=source,
                        host=golist.host_platform(tc, env, opts.module_dir)
                        if opts.cgo == "host" else "")
    plan = make_plan(opts, inputs)
    defaults = golist.variant_defaults(tc, env, golist.variant_arches(
        j.target for j in plan.jobs), opts.module_dir)
    plan = equivalence.merge(plan, variant_defaults=defaults)
    todo = equivalence.candidates(plan)
    if not todo:
        return plan
    found = golist.listings(tc, env, todo, packages=plan.packages, cwd=opts.module_dir,
                            width=opts.jobs)
    return equivalence.merge(plan, listings=found)
