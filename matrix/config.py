"""`.crossvet.yaml`: parse with line numbers, validate every key and value. Pure: text in.

Each key has one normaliser that accepts what YAML gives and what an environment variable or a
flag gives (a string), so file, environment and flags are checked by the same rules.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from matrix import ignores
from matrix.checks import KNOWN_CHECKS, parse_checks
from matrix.errors import ConfigError, UsageError
from matrix.suggest import did_you_mean

CONFIG_NAMES = (".crossvet.yaml", ".crossvet.yml")


@dataclass(frozen=True, kw_only=True)
class Located:
    value: Any
    line: int


def _type_name(value: Any) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string",
            list: "a list", dict: "a mapping", type(None): "empty"}.get(type(value), "a value")


def _str_items(value: Any, what: str, *, sep: str = ",") -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(p.strip() for p in value.split(sep) if p.strip())
    if isinstance(value, list) and all(isinstance(v, str | int | float) and
                                       not isinstance(v, bool) for v in value):
        return tuple(str(v).strip() for v in value if str(v).strip())
    raise ValueError(f"{what} should be a string or a list of strings, not {_type_name(value)}")


def _targets(value: Any) -> tuple[str, ...]:
    items = _str_items(value, "targets")
    if not items:
        raise ValueError("targets is empty")
    return items


def _checks(value: Any) -> tuple[str, ...]:
    items = list(_str_items(value, "checks"))
    try:
        return parse_checks(items)
    except UsageError as exc:
        bad = next((i for i in items if i not in KNOWN_CHECKS), "")
        raise ValueError(str(exc) + (did_you_mean(bad, list(KNOWN_CHECKS)) if bad else "")
                         ) from None


_TAG_RE = re.compile(r"^[A-Za-z0-9_.]+$")


def _tag_set(items: Any, what: str) -> tuple[str, ...]:
    tags = _str_items(items, what, sep=",")
    for t in tags:
        if not _TAG_RE.match(t):
            raise ValueError(f"bad build tag {t!r} in {what} (letters, digits, _ and . only)")
    return tuple(dict.fromkeys(tags))


def _modules(value: Any) -> tuple[str, ...]:
    items = _str_items(value, "modules")
    if not items:
        raise ValueError("modules is empty")
    return items


def _tags(value: Any) -> tuple[tuple[str, ...], ...]:
    """`netgo,purego` (one set), `;netgo;purego` (three sets: none, netgo, purego) or, in YAML,
    `[[], [netgo], [purego]]` (sets) or `[netgo, purego]` (one set)."""
    if isinstance(value, str):
        sets = [_tag_set(part, "tags") for part in value.split(";")] if ";" in value \
            else [_tag_set(value, "tags")]
    elif isinstance(value, list) and value and all(isinstance(v, list) for v in value):
        sets = [_tag_set(v, "tags") for v in value]
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        sets = [_tag_set(value, "tags")]
    else:
        raise ValueError("tags should be a list of tag lists such as [[], [netgo]], a list of "
                         f"tags, or a string, not {_type_name(value)}")
    out: list[tuple[str, ...]] = []
    for s in sets:
        if s not in out:
            out.append(s)
    return tuple(out) or ((),)


def _cgo(value: Any) -> str:
    """off (default), on (every target whose port supports cgo), host, or target selectors."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, list):
        return ",".join(_str_items(value, "cgo"))
    if isinstance(value, str) and value.strip():
        v = value.strip()
        low = v.lower()
        if low in ("0", "false", "no", "off"):
            return "off"
        if low in ("1", "true", "yes", "on"):
            return "on"
        return "host" if low == "host" else v
    raise ValueError(f"cgo should be off, on, host or target selectors, not {_type_name(value)}")


# A Go release as go.mod and image tags spell it: 1.22, 1.22.5, 1.23rc1 (the one definition).
GO_RELEASE = r"\d+\.\d+(?:\.\d+)?(?:(?:rc|beta)\d+)?"
_VERSION_RE = re.compile(rf"^(?:go)?({GO_RELEASE})$")


def _go_versions(value: Any) -> tuple[str, ...]:
    """`1.22,go1.23.4` or a list -> ('1.22', '1.23.4'): a leading `go` is dropped, repeats too."""
    out: list[str] = []
    for v in _str_items(value, "go_versions"):
        m = _VERSION_RE.match(v)
        if not m:
            raise ValueError(f"bad Go version {v!r} (expected e.g. 1.22 or 1.27.3)")
        if m.group(1) not in out:
            out.append(m.group(1))
    return tuple(out)


def parse_go_versions(value: Any) -> tuple[str, ...]:
    """The Go versions of a flag, variable or config value; UsageError for a bad one."""
    try:
        return _go_versions(value)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _packages(value: Any) -> tuple[str, ...]:
    items = tuple(p for item in _str_items(value, "packages") for p in item.split())
    if not items:
        raise ValueError("packages is empty")
    return items


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"jobs should be a whole number, not {_type_name(value)}")
    try:
        n = int(value)
    except ValueError:
        raise ValueError(f"jobs should be a whole number, got {value!r}") from None
    if n < 1:
        raise ValueError(f"jobs should be at least 1, got {n}")
    return n


MAX_TIMEOUT = 86400.0  # a day per target: more is a typo, and past ~24.8 days no wait is possible
MAX_TYPECHECK_MEMORY = 1048576  # MB (1 TiB): machine-independent; more is a typo


def _timeout(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"timeout should be a number of seconds, not {_type_name(value)}")
    try:
        t = float(value)
    except ValueError:
        raise ValueError(f"timeout should be a number of seconds, got {value!r}") from None
    if not math.isfinite(t) or t < 0:
        raise ValueError(f"timeout should be a finite number of seconds, at least 0 (0: no "
                         f"limit), got {value!r}")
    if t > MAX_TIMEOUT:
        raise ValueError(f"timeout should be at most {MAX_TIMEOUT:g} seconds (a day; 0: no "
                         f"limit), got {value!r}")
    return None if t == 0 else t


def _path(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"goreleaser should be a file path, not {_type_name(value)}")
    return value.strip()


RUNNERS = ("local", "docker")
_MEMORY_RE = re.compile(r"^\d+[bkmg]?$", re.IGNORECASE)


def _text(value: Any, key: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float) or not str(value):
        raise ValueError(f"{key} should be a string")
    return str(value).strip()


def _runner(value: Any) -> str:
    text = _text(value, "runner").lower()
    if text not in RUNNERS:
        raise ValueError(f"runner should be one of {', '.join(RUNNERS)}, got {value!r}")
    return text


def _memory(value: Any) -> str:
    text = _text(value, "memory").lower()
    if not _MEMORY_RE.match(text):
        raise ValueError(f"memory should be a size such as 512m or 4g, got {value!r}")
    return text


def _pids(value: Any) -> int:
    text = _text(value, "pids_limit")
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"pids_limit should be a whole number of at least 1, got {value!r}")
    return int(text)


def _image(value: Any) -> str:
    return _text(value, "image")


def _cache(value: Any) -> str:
    return _text(value, "docker_cache")


def _network(value: Any) -> str:
    return _text(value, "download_network")


def _narrowing(value: Any) -> str:
    text = _text(value, "narrowing").lower()
    if text not in ("warning", "error"):
        raise ValueError(f"narrowing should be warning or error, got {value!r}")
    return text


def _narrowing_level(value: Any) -> str:
    text = _text(value, "narrowing_level").lower()
    if text not in ("default", "all"):
        raise ValueError(f"narrowing_level should be default or all, got {value!r}")
    return text


VET_MODES = ("engine", "go")


def _vet(value: Any) -> str:
    text = _text(value, "vet").lower()
    if text not in VET_MODES:
        raise ValueError(f"vet should be engine or go, got {value!r}")
    return text


def _memory_mb(value: Any) -> int:
    text = _text(value, "typecheck_memory")
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"typecheck_memory should be a whole number of MB (at least 1), "
                         f"got {value!r}")
    if int(text) > MAX_TYPECHECK_MEMORY:
        raise ValueError(f"typecheck_memory should be at most {MAX_TYPECHECK_MEMORY} MB (1 TiB), "
                         f"got {value!r}")
    return int(text)


def _on_off(key: str) -> Callable[[Any], bool]:
    """The normaliser of an on/off key (true/false, yes/no and 1/0 are accepted too)."""
    def normalise(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = _text(value, key).lower()
        if text not in ("1", "0", "true", "false", "on", "off", "yes", "no"):
            raise ValueError(f"{key} should be on or off, got {value!r}")
        return text in ("1", "true", "on", "yes")
    return normalise


def _dir(value: Any) -> str:
    return _text(value, "cache_dir")


FAIL_ON = ("new", "findings", "never")


def _fail_on(value: Any) -> str:
    text = _text(value, "fail_on").lower()
    if text not in FAIL_ON:
        raise ValueError(f"fail_on should be one of {', '.join(FAIL_ON)}, got {value!r}")
    return text


def _unused_ignores(value: Any) -> str:
    text = _text(value, "unused_ignores").lower()
    if text not in ("warning", "error"):
        raise ValueError(f"unused_ignores should be warning or error, got {value!r}")
    return text


def _baseline(value: Any) -> str:
    return _text(value, "baseline")


def _rev(value: Any) -> str:
    text = _text(value, "new_from_rev")
    if text.startswith("-"):
        raise ValueError(f"new_from_rev should be a git revision, got {value!r}")
    return text


# key -> (normaliser, environment variable, one-line help used by `crossvet init`)
KEYS: dict[str, tuple[Callable[[Any], Any], str, str]] = {
    "targets": (_targets, "CROSSVET_TARGETS",
                "target selectors: presets, ids, globs, !exclusions, variants"),
    "checks": (_checks, "CROSSVET_CHECKS",
               "checks to run: typecheck, vet, build (default: typecheck, vet)"),
    "tags": (_tags, "CROSSVET_TAGS", "build-tag sets; each set is one more job per target"),
    "cgo": (_cgo, "CROSSVET_CGO", "off, on, host, or the target selectors to check with cgo"),
    "go_versions": (_go_versions, "CROSSVET_GO_VERSIONS",
                    "Go versions (container runner); locally only the installed one"),
    "packages": (_packages, "CROSSVET_PACKAGES", "package patterns"),
    "jobs": (_positive_int, "CROSSVET_JOBS", "jobs checked at once"),
    "timeout": (_timeout, "CROSSVET_TIMEOUT", "seconds per job before it is killed (0: none)"),
    "goreleaser": (_path, "CROSSVET_GORELEASER",
                   "goreleaser config for the `release` preset"),
    "modules": (_modules, "CROSSVET_MODULES",
                "which modules of the tree to check: all, dirs, paths, globs, !exclusions"),
    # the container runner (docs/docker.md)
    "runner": (_runner, "CROSSVET_RUNNER", "where go runs: local or docker"),
    "image": (_image, "CROSSVET_IMAGE",
              "container image instead of golang:<version> ({version} is replaced)"),
    "memory": (_memory, "CROSSVET_MEMORY", "memory limit per container (default 4g)"),
    "pids_limit": (_pids, "CROSSVET_PIDS_LIMIT",
                   "processes and threads per container (default 4096)"),
    "docker_cache": (_cache, "CROSSVET_DOCKER_CACHE",
                     "GOCACHE/GOMODCACHE directory, or volume:NAME"),
    "download_network": (_network, "CROSSVET_DOWNLOAD_NETWORK",
                         "network of the module-download container (default bridge)"),
    # the type-check engine (docs/typecheck.md)
    "vet": (_vet, "CROSSVET_VET",
            "how vet runs: engine (its analyzers in the type-check engine) or go (go vet per "
            "target)"),
    "narrowing": (_narrowing, "CROSSVET_NARROWING",
                  "severity of typecheck's 32-bit narrowing findings: warning or error"),
    "narrowing_level": (_narrowing_level, "CROSSVET_NARROWING_LEVEL",
                        "which narrowing conversions: default (from 64-bit types) or all "
                        "(also uint32 -> int)"),
    "narrowing_generated": (_on_off("narrowing_generated"), "CROSSVET_NARROWING_GENERATED",
                            "also report narrowing in generated files (on/off)"),
    "typecheck_memory": (_memory_mb, "CROSSVET_TYPECHECK_MEMORY",
                         "memory budget of the typecheck engine, in MB (default 448)"),
    "typecheck_cache": (_on_off("typecheck_cache"), "CROSSVET_TYPECHECK_CACHE",
                        "reuse typecheck results whose inputs are unchanged (on/off)"),
    "cache_dir": (_dir, "CROSSVET_CACHE_DIR",
                  "crossvet's cache: engine builds, results, ports, docker caches"),
    # adopting on a module with findings (README: Baselines and suppressions)
    "fail_on": (_fail_on, "CROSSVET_FAIL_ON",
                "what fails the run: new (default), findings (new or not) or never"),
    "baseline": (_baseline, "CROSSVET_BASELINE",
                 "a results file whose findings are not new (crossvet baseline -o FILE)"),
    "new_from_rev": (_rev, "CROSSVET_NEW_FROM_REV",
                     "a git revision whose findings are not new (checked in a git worktree)"),
    "unused_ignores": (_unused_ignores, "CROSSVET_UNUSED_IGNORES",
                       "a suppression that matched nothing: warning (default) or error"),
    "ignore": (ignores.parse_rules, "",
               "suppressions: category/path/message/targets, each with a reason"),
}
RUNNER_KEYS = ("runner", "image", "memory", "pids_limit", "docker_cache", "download_network")


def normalize(key: str, value: Any, *, source: str, line: int = 0) -> Any:
    """Check one value; a bad one raises ConfigError naming where it came from."""
    try:
        return KEYS[key][0](value)
    except ValueError as exc:
        raise ConfigError(str(exc), source=source, line=line) from None


def _ignore_entry(entry: Any, i: int, node: yaml.Node, source: str) -> ignores.IgnoreRule:
    line = node.start_mark.line + 1
    try:
        return ignores.located(ignores.parse_rule(entry, i + 1), source, line)
    except ValueError as exc:
        raise ConfigError(str(exc), source=source, line=line) from None


def parse(text: str, *, source: str) -> dict[str, Located]:
    """Parse and validate a config file; values are normalised, each with its line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"not valid YAML: {problem}", source=source, line=line) from None
    except (ValueError, TypeError, AttributeError, OverflowError, RecursionError) as exc:
        # PyYAML's constructors raise these for values such as `2001-13-01` or `!!int x`
        raise ConfigError(f"not valid YAML: {exc}", source=source) from None
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        raise ConfigError("expected a mapping of settings (key: value) at the top level",
                          source=source, line=root.start_mark.line + 1)
    out: dict[str, Located] = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        key = str(key_node.value)
        if key not in KEYS:
            raise ConfigError(f"unknown key {key!r}{did_you_mean(key, KEYS)}; valid keys: "
                              f"{', '.join(KEYS)}", source=source, line=line)
        if key in out:
            raise ConfigError(f"{key!r} is set twice (first on line {out[key].line})",
                              source=source, line=line)
        if key == "ignore" and isinstance(value_node, yaml.SequenceNode):
            # each entry is checked, and reported unused, at its own line
            value: Any = tuple(_ignore_entry(entry, i, node, source)
                               for i, (entry, node) in enumerate(zip(data[key], value_node.value,
                                                                     strict=True)))
        else:
            value = normalize(key, data[key], source=source, line=line)
        out[key] = Located(value=value, line=line)
    return out


TEMPLATE = """\
# crossvet configuration (written by `crossvet init`; see docs/planner.md).
# Precedence: command-line flags > CROSSVET_* environment variables > this file > defaults.

# Which targets to check. Presets: first-class (default), all, 32bit, 64bit, cgo, release
# (from .goreleaser.yaml). Also ids (linux/386), globs (linux/*, {linux,darwin}/arm64),
# variants (linux/arm/v6, linux/amd64/v3) and exclusions (!*/mips*).
# Env: CROSSVET_TARGETS. Flag: --targets.
# Every value below is the default: this file changes nothing until you edit it.
targets:
  - first-class
  # - 32bit

# Checks per target: typecheck, vet, build. The default, typecheck and vet, runs in the
# type-check engine without compiling anything; build (a real compile and link per target:
# assembly, linkname, embed) is one flag away and the `release` preset turns it on.
# Env: CROSSVET_CHECKS. Flag: --checks.
checks: [typecheck, vet]

# Build-tag sets: each set is one more job per target. [] is "no tags".
# Env/flag: sets separated by ';', tags by ',' (";netgo" = none, then netgo).
tags:
  - []
  # - [netgo]

# cgo: off (default; every target is cross-compiled with CGO_ENABLED=0), host (the
# machine's own platform with cgo), on (every port that supports cgo), or target selectors.
# Env: CROSSVET_CGO. Flag: --cgo.
cgo: off

# Go versions, used by the container runner; a local run uses the installed Go only.
# Env: CROSSVET_GO_VERSIONS. Flag: --go-versions.
# go_versions: ["1.22", "1.27"]

# Package patterns. Env: CROSSVET_PACKAGES. Flag: --packages.
packages: ["./..."]

# Jobs checked at once (default: number of cores). Env: CROSSVET_JOBS. Flag: --jobs.
# jobs: 4

# Where go runs: local (default) or docker, in locked-down containers of golang:<version>
# (docs/docker.md). Env: CROSSVET_RUNNER. Flag: --runner. Also: image, memory, pids_limit,
# docker_cache, download_network.
# runner: docker

# Seconds per job before it is killed; 0 means no limit. Env: CROSSVET_TIMEOUT.
timeout: 900

# A repository of several modules (docs/modules.md): without this, a go.work's `use`d
# modules are checked (or this one module). `all` checks every go.mod under this directory
# (testdata/, vendor/, hidden and _ directories skipped); exclude some with `!`.
# Env: CROSSVET_MODULES. Flag: --modules.
# modules: [all, "!tools"]

# The goreleaser config the `release` preset reads (default: .goreleaser.yaml or .yml).
# goreleaser: .goreleaser.yaml

# The type-check engine (docs/typecheck.md): how vet runs (engine: the user's Go's own vet
# analyzers inside the engine; go: `go vet` per target), severity of 32-bit narrowing findings
# (warning or error), which conversions are reported (default: from int64/uint64; all: also
# uint32 -> int), whether generated files are included, its memory budget in MB, and whether
# unchanged results are reused. Env: CROSSVET_VET, CROSSVET_NARROWING, CROSSVET_NARROWING_LEVEL,
# CROSSVET_NARROWING_GENERATED, CROSSVET_TYPECHECK_MEMORY, CROSSVET_TYPECHECK_CACHE.
# vet: engine
# narrowing: warning
# narrowing_level: default
# narrowing_generated: off
# typecheck_memory: 448
# typecheck_cache: on

# crossvet's cache directory: engine builds, typecheck results, each Go's port list and, for
# the container runner, GOCACHE/GOMODCACHE (default ~/.cache/crossvet). Env: CROSSVET_CACHE_DIR.
# cache_dir: ~/.cache/crossvet

# Adopting on a module that already has findings (README: Baselines and suppressions).
# What fails the run: new (default; without a baseline every finding is new), findings, never.
# Env: CROSSVET_FAIL_ON. Flag: --fail-on.
# fail_on: new
# Findings of this results file (crossvet baseline -o FILE), or of this git revision, are not
# new. Env: CROSSVET_BASELINE, CROSSVET_NEW_FROM_REV. Flags: --baseline, --new-from-rev.
# baseline: crossvet-baseline.json
# new_from_rev: origin/main
# A suppression that matched nothing on every target it applies to: warning or error.
# unused_ignores: warning
# Suppressions: a category (or vet/<analyzer>), a path glob, a message regex and target
# selectors to match, and a reason. Inline: //crossvet:ignore overflow 32bit -- reason
# ignore:
#   - category: vet/unsafeptr
#     path: "unix/*.go"
#     targets: "!windows/*"
#     reason: the syscall wrappers convert uintptr on purpose
"""
