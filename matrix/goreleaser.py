"""The `release` preset: the targets a `.goreleaser.yaml` builds, computed the way goreleaser
(v2) does it. Pure: YAML text in, targets and notes out.

Per Go build (`builder: go`, not `skip: true`):
- `targets:` given: those, `go_first_class`/`go_118_first_class` expanded to goreleaser's fixed
  list, each missing variant suffix filled with goreleaser's default (`linux_amd64` ->
  `linux_amd64_v1`); `goos`, `goarch`, the variant lists and `ignore` are then not used.
- otherwise: `goos` x `goarch`, each GOARCH expanded over its variant list (`goarm`, `goamd64`,
  `go386`, `goarm64`, `gomips`, `goppc64`, `goriscv64`), minus the combinations goreleaser knows
  are not valid and minus every `ignore` entry whose given fields all match.
Defaults when a field is absent: goos [linux, darwin, windows], goarch [amd64, arm64, 386],
goarm [6], goamd64 [v1], go386 [sse2], goarm64 [v8.0], gomips [hardfloat], goppc64 [power8],
goriscv64 [rva20u64]. No `builds:` at all means one build with those defaults.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matrix import variants
from matrix.errors import ConfigError
from matrix.targets import Target

DEFAULT_GOOS = ("linux", "darwin", "windows")
DEFAULT_GOARCH = ("amd64", "arm64", "386")
# goreleaser field -> (GOARCHes it applies to, default)
VARIANT_FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "go386": (("386",), "sse2"),
    "goamd64": (("amd64",), "v1"),
    "goarm64": (("arm64",), "v8.0"),
    "goarm": (("arm",), "6"),
    "gomips": (("mips", "mipsle", "mips64", "mips64le"), "hardfloat"),
    "goppc64": (("ppc64", "ppc64le"), "power8"),
    "goriscv64": (("riscv64",), "rva20u64"),
}
FIRST_CLASS = ("darwin_amd64", "darwin_arm64", "linux_386", "linux_amd64", "linux_arm",
               "linux_arm64", "windows_386", "windows_amd64")
# GOOS+GOARCH pairs goreleaser builds (its valid, experimental and broken lists).
VALID = frozenset({
    "aix/ppc64", "android/386", "android/amd64", "android/arm", "android/arm64", "darwin/amd64",
    "darwin/arm64", "dragonfly/amd64", "freebsd/386", "freebsd/amd64", "freebsd/arm",
    "freebsd/arm64", "illumos/amd64", "ios/arm64", "js/wasm", "wasip1/wasm", "linux/386",
    "linux/amd64", "linux/arm", "linux/arm64", "linux/ppc64", "linux/ppc64le", "linux/mips",
    "linux/mipsle", "linux/mips64", "linux/mips64le", "linux/s390x", "linux/riscv64",
    "linux/loong64", "netbsd/386", "netbsd/amd64", "netbsd/arm", "netbsd/arm64", "openbsd/386",
    "openbsd/amd64", "openbsd/arm", "openbsd/arm64", "plan9/386", "plan9/amd64", "plan9/arm",
    "solaris/amd64", "solaris/sparc", "solaris/sparc64", "windows/arm64", "windows/386",
    "windows/amd64", "openbsd/riscv64", "windows/arm",
})


@dataclass(frozen=True, kw_only=True)
class ReleaseTarget:
    """One goreleaser target: `linux_arm_6` is goos linux, goarch arm, variant 6."""

    goos: str
    goarch: str
    variant: str = ""

    @property
    def name(self) -> str:
        return "_".join(p for p in (self.goos, self.goarch, self.variant) if p)

    def target(self) -> Target:
        v = variants.normalize(self.goarch, self.variant) if self.variant else ""
        return Target(goos=self.goos, goarch=self.goarch, variant=v)


def _strs(value: Any, key: str, source: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list) or not all(
            isinstance(v, str | int | float) and not isinstance(v, bool) for v in value):
        raise ConfigError(f"{key} should be a list of strings", source=source)
    return [str(v) for v in value]


def _variant_field(goarch: str) -> str:
    return next((f for f, (arches, _) in VARIANT_FIELDS.items() if goarch in arches), "")


def _fix(name: str) -> ReleaseTarget:
    parts = name.split("_")
    if len(parts) < 2:
        raise ConfigError(f"goreleaser target {name!r} is not GOOS_GOARCH[_VARIANT]")
    goos, goarch, variant = parts[0], parts[1], "_".join(parts[2:])
    field = _variant_field(goarch)
    if not variant and field:
        variant = VARIANT_FIELDS[field][1]
    return ReleaseTarget(goos=goos, goarch=goarch, variant=variant)


def _ignored(t: ReleaseTarget, ignores: Sequence[Mapping[str, str]]) -> bool:
    field = _variant_field(t.goarch)
    for ig in ignores:
        if ig.get("goos") and ig["goos"] != t.goos:
            continue
        if ig.get("goarch") and ig["goarch"] != t.goarch:
            continue
        if any(ig.get(f) and (f != field or ig[f] != t.variant) for f in VARIANT_FIELDS):
            continue
        return True
    return False


def build_targets(build: Mapping[str, Any], source: str) -> list[ReleaseTarget]:
    explicit = _strs(build.get("targets"), "targets", source)
    if explicit:
        names: set[str] = set()
        for name in explicit:
            if name in ("go_first_class", "go_118_first_class"):
                names.update(_fix(n).name for n in FIRST_CLASS)
            else:
                names.add(_fix(name).name)
        return [_fix(n) for n in sorted(names)]
    goos = _strs(build.get("goos"), "goos", source) or list(DEFAULT_GOOS)
    goarch = _strs(build.get("goarch"), "goarch", source) or list(DEFAULT_GOARCH)
    lists = {f: _strs(build.get(f), f, source) or [d] for f, (_, d) in VARIANT_FIELDS.items()}
    raw_ignores = build.get("ignore") or []
    if not isinstance(raw_ignores, list) or not all(isinstance(i, dict) for i in raw_ignores):
        raise ConfigError("ignore should be a list of mappings", source=source)
    ignores = [{str(k): str(v) for k, v in i.items() if v is not None} for i in raw_ignores]
    out: list[ReleaseTarget] = []
    for os_ in goos:
        for arch in goarch:
            field = _variant_field(arch)
            for variant in (lists[field] if field else [""]):
                t = ReleaseTarget(goos=os_, goarch=arch, variant=variant)
                if f"{os_}/{arch}" not in VALID or _ignored(t, ignores):
                    continue
                out.append(t)
    return out


def release_targets(text: str, *, source: str = ".goreleaser.yaml") -> list[ReleaseTarget]:
    """Every target the file's Go builds produce, without repeats, in goreleaser's order."""
    import yaml  # noqa: PLC0415 (deliberately lazy: a run without YAML to read)
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}", source=source) from exc
    if not isinstance(data, dict):
        raise ConfigError("expected a mapping at the top level", source=source)
    builds = data.get("builds")
    if builds is None:
        builds = [{}]
    if not isinstance(builds, list) or not all(isinstance(b, dict) for b in builds):
        raise ConfigError("builds should be a list of mappings", source=source)
    seen: dict[str, ReleaseTarget] = {}
    for build in builds:
        if build.get("skip") is True or build.get("builder", "go") != "go":
            continue
        for t in build_targets(build, source):
            seen.setdefault(t.name, t)
    return list(seen.values())
