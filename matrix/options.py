"""Options for `crossvet check` and `crossvet plan`, resolved in one place:
flags > CROSSVET_* environment > .crossvet.yaml > defaults.

The environment and the config file's text are passed in (never read here), so resolution is
pure. Every value, whatever its source, goes through the same normaliser (matrix.config), and a
bad one is a ConfigError naming its source: the flag, the variable, or the file and line.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from matrix import config
from matrix.checks import RELEASE_CHECKS
from matrix.errors import ConfigError
from matrix.ignores import IgnoreRule


def _d(key: str) -> Any:
    """An option's default: the one option table's (matrix/config.OPTIONS)."""
    return config.BY_KEY[key].default


DEFAULT_TIMEOUT: float = _d("timeout")  # seconds per job; a hung `go` is killed after this
DEFAULT_TYPECHECK_MEMORY: int = _d("typecheck_memory")  # MB: the engine's memory budget

# The fields that are not options: derived from options, or filled in later.
DERIVED = {
    "tags": "the first tag set (kept for code that wants one set)",
    "module_dirs": "the module directories of a run of several modules, relative to "
                   "module_dir: filled in by crossvet/discover.py once it has looked",
    "origins": "key -> (where its value came from, line in the file or 0), for errors found "
               "later",
}


@dataclass(frozen=True, kw_only=True)
class CheckOptions:
    """Every option of a run (matrix/config.OPTIONS says what each is, and its default)."""

    module_dir: str
    targets: str = _d("targets")  # comma list of target selectors; empty: the default
    checks: tuple[str, ...] = _d("checks")
    packages: tuple[str, ...] = _d("packages")
    tags: tuple[str, ...] = ()
    tag_sets: tuple[tuple[str, ...], ...] = _d("tags")
    cgo: str = _d("cgo")
    go_versions: tuple[str, ...] = _d("go_versions")
    goreleaser: str = _d("goreleaser")  # path of the goreleaser config, relative to module_dir
    jobs: int = _d("jobs")
    timeout: float | None = _d("timeout")  # None: no limit
    go: str = _d("go")
    shard: str = _d("shard")
    color: str = _d("color")
    modules: tuple[str, ...] = _d("modules")
    keep_going: bool = _d("keep_going")
    module_dirs: tuple[str, ...] = ()
    config_path: str = _d("config")  # the .crossvet.yaml that was read, if any
    origins: tuple[tuple[str, str, int], ...] = ()
    outputs: tuple[tuple[str, str], ...] = _d("outputs")  # (format, path): reports/formats.py
    runner: str = _d("runner")
    image: str = _d("image")
    memory: str = _d("memory")
    pids_limit: int = _d("pids_limit")
    docker_cache: str = _d("docker_cache")  # resolved: <cache_dir>/docker by default
    download_network: str = _d("download_network")
    vet: str = _d("vet")
    analyzers: tuple[str, ...] = _d("analyzers")  # packages and merge rules: matrix/lint.py
    narrowing: str = _d("narrowing")
    narrowing_level: str = _d("narrowing_level")
    narrowing_generated: bool = _d("narrowing_generated")
    typecheck_memory: int = _d("typecheck_memory")
    typecheck_cache: bool = _d("typecheck_cache")
    cache_dir: str = _d("cache_dir")  # resolved: default_cache_dir() by default
    engine: str = _d("engine")
    fail_on: str = _d("fail_on")
    baseline: str = _d("baseline")
    new_from_rev: str = _d("new_from_rev")
    write_baseline: str = _d("write_baseline")
    unused_ignores: str = _d("unused_ignores")
    ignores: tuple[IgnoreRule, ...] = _d("ignore")

    def origin(self, key: str) -> tuple[str, int]:
        for k, source, line in self.origins:
            if k == key:
                return source, line
        return "", 0


# Options the cascade below does not pick: the module's directory is the PATH argument, the
# config file is read before (crossvet/pipeline.py), the report files come from the format
# flags (reports/formats.py).
_NOT_PICKED = ("module_dir", "config", "outputs")


def resolve_check(flags: Mapping[str, Any], env: Mapping[str, str],
                  cpu_count: int | None = None, *, config_text: str | None = None,
                  config_source: str = "",
                  module_config: tuple[str, str] | None = None) -> CheckOptions:
    """Merge command-line flags (None = not given) over CROSSVET_* variables over the config
    file (its text, if any) over defaults. `module_config` (text, source) is a module's own
    file in a run of several modules: its keys win over the root's file."""
    file_values = (config.parse(config_text, source=config_source)
                   if config_text is not None else {})
    sources = dict.fromkeys(file_values, config_source)
    if module_config is not None:
        own = config.parse(module_config[0], source=module_config[1])
        file_values = {**file_values, **own}
        sources.update(dict.fromkeys(own, module_config[1]))

    origins: list[tuple[str, str, int]] = []

    def pick(key: str) -> Any:
        option = config.BY_KEY[key]
        value = flags.get(key)
        if value is not None and value != []:
            origins.append((key, option.flag_names[0] if option.flag_names else key, 0))
            return config.normalize(key, value, source=origins[-1][1])
        var = option.variable
        if var and env.get(var, "") != "":
            origins.append((key, var, 0))
            return config.normalize(key, env[var], source=var)
        if key in file_values:
            origins.append((key, sources[key], file_values[key].line))
            return file_values[key].value
        return None

    opts: dict[str, Any] = {"module_dir": os.path.abspath(flags.get("path") or ".")}
    for option in config.OPTIONS:
        if option.key in _NOT_PICKED or option.key in _DIRS:
            continue
        value = pick(option.key)
        if value is not None:
            opts[option.field] = value
    if "targets" in opts:
        opts["targets"] = ",".join(opts["targets"])
    if "timeout" not in opts and any(k == "timeout" for k, _, _ in origins):
        opts["timeout"] = None  # explicitly "no limit"
    if "checks" not in opts and "release" in opts.get("targets", "").split(","):
        opts["checks"] = RELEASE_CHECKS  # a release is built: check that it builds
    if "tag_sets" in opts:
        opts["tags"] = opts["tag_sets"][0]
    opts.setdefault("jobs", max(1, cpu_count or 2))
    if config_text is not None:
        opts["config_path"] = config_source
    if flags.get("outputs"):  # the last path given for a format wins
        opts["outputs"] = tuple({str(f): str(p) for f, p in flags["outputs"]}.items())

    def pick_dir(key: str) -> str | None:
        """A directory made absolute: relative to the module when it came from the config file
        (its origin has a line), to the working directory when from a flag or variable."""
        value = pick(key)
        if value is None:
            return None
        if str(value).startswith("volume:"):  # a docker volume is not a path
            return str(value)
        line = origins[-1][2]
        return os.path.abspath(os.path.join(str(opts["module_dir"]), value) if line else value)

    opts["cache_dir"] = pick_dir("cache_dir") or default_cache_dir(env)
    opts["docker_cache"] = pick_dir("docker_cache") or os.path.join(opts["cache_dir"], "docker")
    opts["baseline"] = pick_dir("baseline") or ""
    if opts["baseline"] and opts.get("new_from_rev"):  # the one from the higher source wins
        rank = {k: _rank(s) for k, s, _ in origins}
        if rank["baseline"] == rank["new_from_rev"]:
            raise ConfigError("give a baseline file or a revision to compare with "
                              "(new_from_rev), not both",
                              source=next(s for k, s, _ in origins if k == "baseline"))
        opts["baseline" if rank["new_from_rev"] < rank["baseline"] else "new_from_rev"] = ""
    return CheckOptions(**opts, origins=tuple(origins))


_DIRS = ("cache_dir", "docker_cache", "baseline")  # picked by pick_dir, after the others


def _rank(source: str) -> int:
    """Where a value came from, by precedence: 0 a flag, 1 a variable, 2 the config file."""
    return 0 if source.startswith("--") else 1 if source.startswith("CROSSVET_") else 2


def default_cache_dir(env: Mapping[str, str]) -> str:
    """crossvet's cache directory when none is configured: $XDG_CACHE_HOME/crossvet."""
    base = env.get("XDG_CACHE_HOME") or os.path.join(env.get("HOME") or os.path.expanduser("~"),
                                                     ".cache")
    return os.path.join(base, "crossvet")
