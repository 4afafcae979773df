"""`.crossvet.yaml`: parse with line numbers, validate every key and value. Pure: text in.

Each key has one normaliser that accepts what YAML gives and what an environment variable or a
flag gives (a string), so file, environment and flags are checked by the same rules.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from matrix import ignores, lint
from matrix.checks import DEFAULT_CHECKS, KNOWN_CHECKS, parse_checks
from matrix.errors import ConfigError, UsageError
from matrix.optiontable import AUTO, CHECK_COMMANDS, REPORT_COMMANDS, Option, render_template
from matrix.presets import DEFAULT_TARGETS, PRESETS
from matrix.suggest import did_you_mean

if TYPE_CHECKING:
    import yaml

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


def _analyzers(value: Any) -> tuple[str, ...]:
    return lint.normalise(_str_items(value, "analyzers"))


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
    """auto (default), off, on (every target whose port supports cgo), host, or selectors."""
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
        return low if low in ("host", "auto") else v
    raise ValueError("cgo should be auto, off, on, host or target selectors, not "
                     f"{_type_name(value)}")


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
VET_MODES = ("engine", "go")
FAIL_ON = ("new", "findings", "never")
_MEMORY_RE = re.compile(r"^\d+[bkmg]?$", re.IGNORECASE)


def _text(value: Any, key: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float) or not str(value):
        raise ValueError(f"{key} should be a string")
    return str(value).strip()


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


def _rev(value: Any) -> str:
    text = _text(value, "new_from_rev")
    if text.startswith("-"):
        raise ValueError(f"new_from_rev should be a git revision, got {value!r}")
    return text


# The one option table (matrix/optiontable.py says what a row holds). The command line, the
# cascade, CheckOptions' defaults, the init template, the Action's inputs, the docs' option
# tables and the key of a cached --new-from-rev run are derived from it.
_RUNNER = "container runner (docs/docker.md)"
_ENGINE = "type-check engine (docs/typecheck.md)"
_ADOPT = "baselines and suppressions (README)"
OPTIONS: tuple[Option, ...] = (
    Option(key="module_dir", help="Go module root or go.work workspace root", default_text=".",
           flags=(), env="", in_file=False, action_input="working-directory", findings=False,
           sample="/m"),
    Option(key="targets", help=f"target selectors: presets ({', '.join(PRESETS)}), ids, globs, "
           "variants, !exclusions", default="",
           default_text=f"{DEFAULT_TARGETS}: first-class and the ports the module claims",
           normalise=_targets, action_input="targets",
           sample="linux/386,windows/*", file_sample="[linux/386, windows/*]", per_module=True),
    Option(key="checks", help="checks to run: typecheck and vet in the type-check engine (no "
           "compiling), build for a real compile and link per target (the release preset "
           "adds it)", default=DEFAULT_CHECKS, normalise=_checks, action_input="checks",
           sample="typecheck,vet,build", file_sample="[typecheck, vet, build]", per_module=True),
    Option(key="tags", help="build-tag sets, each one more job per target: tags separated by "
           "',', sets by ';' (';netgo' = no tags, then netgo)", default=((),),
           default_text="no tags", normalise=_tags, field_name="tag_sets", sample=";netgo",
           file_sample="[[], [netgo]]", per_module=True),
    Option(key="cgo", help="check with cgo: auto (a module with cgo files also with cgo on, "
           "where there is a C compiler for the target), off, on (every port that supports "
           "cgo), host (this machine's platform), or target selectors", default="auto",
           normalise=_cgo,
           sample="host", per_module=True),
    Option(key="go_versions", help="Go versions (the container runner; locally only the "
           "installed one)", default=(), default_text="the installed Go", metavar="LIST",
           normalise=_go_versions, sample="1.22,1.27", file_sample='["1.22", "1.27"]',
           per_module=True),
    Option(key="packages", help="package patterns", default=("./...",), normalise=_packages,
           metavar="PATTERN", many=True, sample="./cmd/...", file_sample='["./cmd/..."]',
           per_module=True),
    Option(key="modules", help="check several modules: all (every go.mod under PATH), module "
           "dirs, module paths, globs, !exclusions", default=(),
           default_text="go.work's modules, else PATH's module", normalise=_modules,
           metavar="SELECTORS", action_input="modules", sample="all,!tools",
           file_sample='[all, "!tools"]'),
    Option(key="keep_going", help="check the other modules when some cannot be checked (the "
           "run still exits 2)", default=False, normalise=_on_off("keep_going"), env="",
           in_file=False, flag_value="on", action_input="keep-going", sample="on"),
    Option(key="goreleaser", help="goreleaser config for the release preset", default="",
           default_text=".goreleaser.yaml or .yml", normalise=_path, metavar="FILE",
           sample="ci/goreleaser.yaml", per_module=True),
    Option(key="config", help="the config file", default="", default_text=".crossvet.yaml",
           in_file=False, metavar="FILE", action_input="config", findings=False,
           field_name="config_path", sample="ci/crossvet.yaml"),
    Option(key="go", help="the go binary", default="", default_text="go on PATH",
           in_file=False, sample="/usr/local/go/bin/go"),
    Option(key="jobs", help="targets checked at once", default=2,
           default_text="the number of cores", normalise=_positive_int, flags=(AUTO, "-j"),
           commands=CHECK_COMMANDS, action_input="jobs", findings=False, metavar="N",
           sample="3"),
    Option(key="timeout", help="seconds per target before it is killed (0: no limit; at most "
           f"{MAX_TIMEOUT:g}, a day)",
           default=900.0, normalise=_timeout, commands=CHECK_COMMANDS,
           findings=False, metavar="SECONDS", sample="60"),
    Option(key="shard", help="run only shard I of N (see plan --shards)", default="",
           env="", in_file=False, commands=("check",), action_input="shard", metavar="I/N",
           sample="1/2"),
    Option(key="color", help="colour each target's status in the log: auto (on a terminal, "
           "unless NO_COLOR is set), always (also in CI logs, which show ANSI colours) or never",
           default="auto", choices=("auto", "always", "never"), commands=CHECK_COMMANDS,
           findings=False, sample="always"),
    # the container runner (docs/docker.md)
    Option(key="runner", help="where go runs", default="local", choices=RUNNERS,
           group=_RUNNER, action_input="runner", sample="docker"),
    Option(key="image", help="the image instead of golang:<version> ({version} is replaced)",
           default="", default_text="golang:{version}", group=_RUNNER,
           sample="registry.example/golang:{version}"),
    Option(key="memory", help="memory (and memory+swap) limit per container", default="4g",
           normalise=_memory, group=_RUNNER, findings=False, sample="8g"),
    Option(key="pids_limit", help="processes and threads per container", default=4096,
           normalise=_pids, group=_RUNNER, findings=False, sample="512"),
    Option(key="docker_cache", help="GOCACHE/GOMODCACHE store: a directory (relative to the "
           "module in the file) or volume:NAME", default="", default_text="<cache_dir>/docker",
           metavar="DIR|volume:NAME", group=_RUNNER, findings=False,
           sample="volume:crossvet-cache"),
    Option(key="download_network", help="network of the module-download container (none "
           "forbids downloads)", default="bridge", metavar="NETWORK", group=_RUNNER,
           findings=False, sample="none"),
    # the type-check engine (docs/typecheck.md)
    Option(key="vet", help="how vet runs: engine (your Go's vet analyzers in the type-check "
           "engine, every target at once) or go (go vet per target)", default="engine",
           choices=VET_MODES, commands=CHECK_COMMANDS, group=_ENGINE, sample="go"),
    Option(key="analyzers", help="Go packages whose go/analysis analyzers run with vet's in "
           "the engine on every target (resolved through your go.mod or go.work), and merge "
           "rules NAME=all|any (docs/lint.md)", default=(), default_text="none",
           normalise=_analyzers, commands=CHECK_COMMANDS, group=_ENGINE, metavar="LIST",
           action_input="analyzers", per_module=False,
           sample="honnef.co/go/tools/staticcheck,SA4006=any",
           file_sample="[honnef.co/go/tools/staticcheck, SA4006=any]"),
    Option(key="narrowing", help="severity of typecheck's 32-bit narrowing findings",
           default="warning", choices=("warning", "error"), commands=CHECK_COMMANDS,
           group=_ENGINE, sample="error"),
    Option(key="narrowing_level", help="narrowing conversions reported: default (from "
           "int64/uint64) or all (also uint32 -> int, which loses only the sign bit)",
           default="default", choices=("default", "all"), commands=CHECK_COMMANDS,
           group=_ENGINE, sample="all"),
    Option(key="narrowing_generated", help="also report narrowing conversions in generated "
           "files", default=False, normalise=_on_off("narrowing_generated"), flag_value="on",
           commands=CHECK_COMMANDS, group=_ENGINE, sample="on"),
    Option(key="typecheck_memory", help="memory budget of the type-check engine, in MB (its "
           "peak is about the larger of it and 1.5 times the live heap; at most "
           f"{MAX_TYPECHECK_MEMORY}, 1 TiB)",
           default=448, normalise=_memory_mb, metavar="MB",
           commands=CHECK_COMMANDS, group=_ENGINE, findings=False, sample="1024"),
    Option(key="typecheck_cache", help="reuse type-check results whose inputs are unchanged, "
           "and the standard library's declarations (--no-typecheck-cache: check again)",
           default=True,
           normalise=_on_off("typecheck_cache"), flags=("--no-typecheck-cache",),
           flag_value="off", commands=CHECK_COMMANDS, group=_ENGINE, findings=False,
           sample="off"),
    Option(key="cache_dir", help="crossvet's cache: engine builds, type-check results, port "
           "lists, the container runner's GOCACHE (relative to the module in the file)",
           default="", default_text="$XDG_CACHE_HOME/crossvet (~/.cache/crossvet)",
           metavar="DIR", commands=CHECK_COMMANDS, group=_ENGINE, findings=False,
           sample=".cache/crossvet"),
    Option(key="engine", help="a prebuilt type-check engine binary (skips building it)",
           default="", flags=(), in_file=False, group=_ENGINE, sample="/opt/crossvet-engine"),
    # adopting on a module with findings (README: Baselines and suppressions)
    Option(key="fail_on", help="what fails the run (exit 1): new findings (without a baseline "
           "every finding is new), any findings, or never", default="new", choices=FAIL_ON,
           commands=REPORT_COMMANDS, action_input="fail-on", findings=False, group=_ADOPT,
           sample="findings"),
    Option(key="baseline", help="a results file (crossvet baseline -o) whose findings are not "
           "new (relative to the module in the file)", default="", metavar="RESULTS.json",
           commands=("check",), action_input="baseline", findings=False, group=_ADOPT,
           sample="crossvet-baseline.json"),
    Option(key="new_from_rev", help="a git revision (origin/main, HEAD~1) checked in a git "
           "worktree with the same plan: its findings are not new", default="",
           normalise=_rev, metavar="REV", commands=("check",), findings=False, group=_ADOPT,
           sample="origin/main"),
    Option(key="write_baseline", help="also write this run's findings as a baseline file",
           default="", env="", in_file=False, metavar="FILE", commands=("check",),
           findings=False, output=True, group=_ADOPT, sample="base.json"),
    Option(key="unused_ignores", help="a suppression that matched nothing", default="warning",
           choices=("warning", "error"), commands=REPORT_COMMANDS, findings=False,
           group=_ADOPT, sample="error"),
    Option(key="ignore", help="suppressions: a category (or vet/ANALYZER), path glob, message "
           "regex and target selectors to match, each with a reason", default=(),
           default_text="none", normalise=ignores.parse_rules, flags=(), env="",
           field_name="ignores", group=_ADOPT, file_sample="""
  - category: vet/unsafeptr
    path: "unix/*.go"
    targets: "!windows/*"
    reason: the syscall wrappers convert uintptr on purpose""",
           per_module=True),
    Option(key="outputs", help="the report files (--json, --junit, --markdown, --sarif: "
           "reports/formats.py)", default=(), flags=(), env="", in_file=False,
           commands=REPORT_COMMANDS, findings=False, output=True),
)
BY_KEY = {o.key: o for o in OPTIONS}
KEYS = {o.key: o for o in OPTIONS if o.in_file}  # the config file's keys
PER_MODULE_KEYS = tuple(o.key for o in OPTIONS if o.per_module)  # docs/modules.md


def normalize(key: str, value: Any, *, source: str, line: int = 0) -> Any:
    """Check one value; a bad one raises ConfigError naming where it came from."""
    try:
        return BY_KEY[key].value(value)
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
    import yaml  # noqa: PLC0415 (deliberately lazy: a run without YAML to read)
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


def template() -> str:
    """The commented `.crossvet.yaml` `crossvet init` writes (made when asked: it reads every
    option's sample as YAML)."""
    return render_template(OPTIONS)
