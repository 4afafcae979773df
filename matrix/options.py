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
from matrix.checks import DEFAULT_CHECKS, RELEASE_CHECKS
from matrix.config import RUNNER_KEYS
from matrix.errors import ConfigError
from matrix.ignores import IgnoreRule

DEFAULT_TIMEOUT = 900.0  # seconds per job; a hung `go` is killed after this
DEFAULT_TYPECHECK_MEMORY = 448  # MB: the engine's memory budget (docs/typecheck.md)


@dataclass(frozen=True, kw_only=True)
class CheckOptions:
    module_dir: str
    targets: str = ""  # comma list of target selectors; empty means the default (first-class)
    checks: tuple[str, ...] = DEFAULT_CHECKS
    packages: tuple[str, ...] = ("./...",)
    tags: tuple[str, ...] = ()  # the first tag set (kept for code that wants one set)
    tag_sets: tuple[tuple[str, ...], ...] = ((),)
    cgo: str = "off"  # off, on, host, or target selectors
    go_versions: tuple[str, ...] = ()
    goreleaser: str = ""  # path of the goreleaser config, relative to module_dir
    jobs: int = 2
    timeout: float | None = DEFAULT_TIMEOUT
    go: str = ""  # explicit go binary; empty means `go` on PATH
    shard: str = ""  # "I/N": run only that shard of the plan
    modules: tuple[str, ...] = ()  # module selectors (matrix/modules.py); () = go.work or one
    keep_going: bool = False  # check the other modules when some cannot be checked
    # The module directories of a run of several modules, relative to module_dir (the root):
    # filled in by crossvet/discover.py once it has looked; () for a run of one module.
    module_dirs: tuple[str, ...] = ()
    config_path: str = ""  # the .crossvet.yaml that was read, if any
    # key -> (where its value came from, line in the file or 0), for errors found later
    origins: tuple[tuple[str, str, int], ...] = ()

    def origin(self, key: str) -> tuple[str, int]:
        for k, source, line in self.origins:
            if k == key:
                return source, line
        return "", 0
    # (format, path): the report files to write (reports/formats.py names the formats)
    outputs: tuple[tuple[str, str], ...] = ()
    # The container runner (docs/docker.md); unused by the local runner.
    runner: str = "local"  # local | docker
    image: str = ""  # overrides golang:<version>; `{version}` is replaced
    memory: str = "4g"
    pids_limit: int = 4096
    docker_cache: str = ""  # directory or volume:NAME (resolved: <cache_dir>/docker by default)
    download_network: str = "bridge"
    # typecheck (docs/typecheck.md)
    vet: str = "engine"  # engine: vet's analyzers in the type-check engine; go: go vet per job
    narrowing: str = "warning"  # severity of narrowing findings: warning or error
    narrowing_level: str = "default"  # default (from 64-bit types) or all (also uint32 -> int)
    narrowing_generated: bool = False  # also in generated files
    typecheck_memory: int = DEFAULT_TYPECHECK_MEMORY  # MB, the engine's memory budget
    typecheck_cache: bool = True  # reuse results whose inputs are unchanged
    cache_dir: str = ""  # crossvet's cache: typecheck engine binaries and results
    engine: str = ""  # a prebuilt typecheck engine binary (CROSSVET_ENGINE)
    # baselines and suppressions (README: Baselines and suppressions)
    fail_on: str = "new"  # new | findings | never
    baseline: str = ""  # results file whose findings are `existing`
    new_from_rev: str = ""  # git revision checked for the baseline
    write_baseline: str = ""  # also write this run's results as a baseline file
    unused_ignores: str = "warning"  # warning | error
    ignores: tuple[IgnoreRule, ...] = ()  # the config file's `ignore:` entries


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

    def pick(key: str, flag: str | None = None) -> Any:
        flag = flag or key
        _, var, _ = config.KEYS[key]
        value = flags.get(flag)
        if value is not None and value != []:
            origins.append((key, f"--{flag.replace('_', '-')}", 0))
            return config.normalize(key, value, source=origins[-1][1])
        if var and env.get(var, "") != "":
            origins.append((key, var, 0))
            return config.normalize(key, env[var], source=var)
        if key in file_values:
            origins.append((key, sources[key], file_values[key].line))
            return file_values[key].value
        return None

    opts: dict[str, Any] = {"module_dir": os.path.abspath(flags.get("path") or ".")}
    targets = pick("targets")
    if targets is not None:
        opts["targets"] = ",".join(targets)
    for key in ("checks", "packages", "go_versions", "goreleaser", "timeout", "cgo", "modules"):
        value = pick(key)
        if value is not None:
            opts[key] = value
    if "timeout" not in opts and ("timeout" in file_values or flags.get("timeout") is not None
                                  or env.get("CROSSVET_TIMEOUT")):
        opts["timeout"] = None  # explicitly "no limit"
    if "checks" not in opts and "release" in opts.get("targets", "").split(","):
        opts["checks"] = RELEASE_CHECKS  # a release is built: check that it builds
    tag_sets = pick("tags")
    if tag_sets is not None:
        opts["tag_sets"] = tag_sets
        opts["tags"] = tag_sets[0]
    jobs = pick("jobs")
    opts["jobs"] = jobs if jobs is not None else max(1, cpu_count or 2)
    go = flags.get("go") or env.get("CROSSVET_GO", "")
    if go:
        opts["go"] = str(go)
    if flags.get("shard"):
        opts["shard"] = str(flags["shard"])
    if flags.get("keep_going"):
        opts["keep_going"] = True
    if config_text is not None:
        opts["config_path"] = config_source
    for key in (*RUNNER_KEYS, "vet", "narrowing", "narrowing_level", "narrowing_generated",
                "typecheck_memory", "typecheck_cache"):
        value = pick(key)
        if value is not None:
            opts[key] = value
    for key in ("fail_on", "new_from_rev", "unused_ignores"):
        value = pick(key)
        if value is not None:
            opts[key] = value
    rules = pick("ignore")
    if rules is not None:
        opts["ignores"] = rules
    if flags.get("outputs"):  # the last path given for a format wins
        opts["outputs"] = tuple({str(f): str(p) for f, p in flags["outputs"]}.items())
    if flags.get("write_baseline"):
        opts["write_baseline"] = str(flags["write_baseline"])

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
    if env.get("CROSSVET_ENGINE"):
        opts["engine"] = env["CROSSVET_ENGINE"]
    return CheckOptions(**opts, origins=tuple(origins))


def _rank(source: str) -> int:
    """Where a value came from, by precedence: 0 a flag, 1 a variable, 2 the config file."""
    return 0 if source.startswith("--") else 1 if source.startswith("CROSSVET_") else 2


def default_cache_dir(env: Mapping[str, str]) -> str:
    """crossvet's cache directory when none is configured: $XDG_CACHE_HOME/crossvet."""
    base = env.get("XDG_CACHE_HOME") or os.path.join(env.get("HOME") or os.path.expanduser("~"),
                                                     ".cache")
    return os.path.join(base, "crossvet")
