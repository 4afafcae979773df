"""The `claimed` preset, the default target set: the ports a module says it runs on. Pure: the
module's facts (crossvet/sources.py reads them) and the toolchain's ports in, targets with the
reasons they are in the plan out.

- the first-class ports (`go tool dist list`'s FirstClass), the 32-bit ones among them said so;
- every port the module's own files claim (matrix/constraints.py): `lock_plan9.go`,
  `//go:build solaris || illumos`; a file that names only a GOARCH (`x_mips64.go`) claims it on
  the GOOSes already checked, or on every GOOS that has it when none of those does (`x_wasm.go`);
- the ports its `.goreleaser.yaml` builds (matrix/goreleaser.py);
- the ports its GitHub Actions workflows name (matrix/workflows.py).
Only ports of the toolchain are ever claimed. A file or workflow that cannot be read claims
nothing and is said in the notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from matrix import constraints, workflows
from matrix.errors import ConfigError
from matrix.targets import Port

MAX_FILES_SHOWN = 1  # file reasons per target; the others are counted ("+3 more files")
MAX_LINE_SHOWN = 40  # a longer constraint line is shown by the name that claims the port


@dataclass(frozen=True, kw_only=True)
class SourceFile:
    """A Go or assembly file of the module: its module-relative path and its constraint lines
    (the text after `//go:build`; the `// +build` lines' text after `+build`)."""

    path: str
    build: str = ""
    plus_build: tuple[str, ...] = ()
    package: str = ""  # the package clause's name (Go files)
    cgo: bool = False  # it imports "C" (a cgo file)

    @property
    def expr(self) -> constraints.Expr | None:
        return constraints.file_expr(self.path, self.build, self.plus_build)

    def builds_on(self, goos: str, goarch: str) -> bool:
        """Whether some tag set builds the file for goos/goarch (never with `ignore`)."""
        expr = self.expr
        return expr is None or constraints.holds_on(expr, goos, goarch)

    @property
    def ever_built(self) -> bool:
        """Whether some GOOS/GOARCH and tag set builds the file: not `//go:build ignore`, nor a
        line no port satisfies (x/sys's `types_*.go` cgo -godefs inputs are both)."""
        expr = self.expr
        return expr is None or constraints.satisfiable(expr)


@dataclass(frozen=True, kw_only=True)
class ModuleFacts:
    """What the module's own files say about where it runs, read at the edge: its files that
    have a constraint (name or line) or are of a main package, and its workflow files."""

    files: tuple[SourceFile, ...] = ()
    workflows: tuple[tuple[str, str], ...] = ()  # (path shown, YAML text)

    @property
    def cgo(self) -> bool:
        """Whether the module has cgo files some build includes (the default `cgo: auto` checks
        them)."""
        return any(f.cgo and f.ever_built for f in self.files)

    def cgo_on(self, goos: str, goarch: str) -> bool:
        """Whether a cgo file of the module is built for goos/goarch (with some tag set)."""
        return any(f.cgo and f.builds_on(goos, goarch) for f in self.files)

    def links_main(self, goos: str, goarch: str) -> bool:
        """Whether a main package of the module (not a test file) is built for goos/goarch."""
        return any(f.package == "main" and not f.path.endswith("_test.go")
                   and (f.expr is None or constraints.holds_on(f.expr, goos, goarch))
                   for f in self.files)


@dataclass(frozen=True, kw_only=True)
class Claimed:
    """The claimed targets in plan order, each with why it is there."""

    reasons: tuple[tuple[str, tuple[str, ...]], ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(t for t, _ in self.reasons)


def _file_reason(f: SourceFile, name: str) -> str:
    """`//go:build solaris || illumos in x/y.go`; a long line is cut to the `name` that
    claims the port: `//go:build … dragonfly … in backend_kqueue.go`."""
    text = f"//go:build {f.build}" if f.build else "// +build " + " ".join(f.plus_build)
    if len(text) > MAX_LINE_SHOWN:
        text = f"{text.split(' ', 1)[0]} … {name} …"
    return f"{text} in {f.path}"


def _from_files(files: Sequence[SourceFile], ports: Sequence[Port]
                ) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """port id -> the files claiming it (by GOOS; by GOARCH only), as reasons: the files whose
    name claims it first (`lock_plan9.go` says more than a line), each kind by path."""
    exact: dict[str, list[tuple[bool, str, str]]] = {}
    arch: dict[str, list[tuple[bool, str, str]]] = {}
    seen: dict[constraints.Expr | None, constraints.Claim] = {}  # files repeat constraints

    def claim(expr: constraints.Expr | None) -> constraints.Claim:
        if expr not in seen:
            seen[expr] = constraints.claim(expr, ports)
        return seen[expr]

    for f in files:
        expr = f.expr
        c = claim(expr)
        tags = constraints.positive_tags(expr) if expr is not None else set()
        by_name = claim(constraints.file_name_expr(f.path))
        for pid in c.ports:
            named = pid in by_name.ports
            goos = pid.split("/")[0]
            exact.setdefault(pid, []).append((not named, f.path, f.path if named else
                                              _file_reason(f, goos if goos in tags else "unix")))
        for pid in c.arch_only:
            named = pid in by_name.arch_only
            arch.setdefault(pid, []).append((not named, f.path, f.path if named
                                             else _file_reason(f, pid.split("/")[1])))
    return ({pid: [r for *_, r in sorted(why)] for pid, why in exact.items()},
            {pid: [r for *_, r in sorted(why)] for pid, why in arch.items()})


def _from_pairs(pairs: Sequence[workflows.Pair], ports: Sequence[Port]
                ) -> tuple[set[str], set[str]]:
    exact: set[str] = set()
    arch: set[str] = set()
    for goos, goarch in pairs:
        for p in ports:
            if goos and p.goos == goos and goarch in ("", p.goarch):
                exact.add(p.id)
            elif not goos and p.goarch == goarch:
                arch.add(p.id)
    return exact, arch


def _capped(files: list[str]) -> list[str]:
    """At most MAX_FILES_SHOWN files, then how many more (never "+1 more": that one is shown)."""
    if len(files) <= MAX_FILES_SHOWN + 1:
        return files
    return [*files[:MAX_FILES_SHOWN], f"+{len(files) - MAX_FILES_SHOWN} more files"]


def claimed(ports: Sequence[Port], facts: ModuleFacts | None, *,
            goreleaser_text: str | None = None,
            goreleaser_source: str = ".goreleaser.yaml") -> Claimed:
    """The `claimed` targets of a module, with their reasons (see the module docstring)."""
    facts = facts or ModuleFacts()
    notes: list[str] = []
    labels: dict[str, list[str]] = {p.id: [] for p in ports}
    for p in ports:
        if p.first_class:
            labels[p.id].append("first-class")
            if p.target.int_bits == 32:
                labels[p.id].append("32-bit")
    files, arch_files = _from_files(facts.files, ports)
    # (reason, ports it claims by GOOS, ports it claims by GOARCH only)
    configs: list[tuple[str, set[str], set[str]]] = []
    if goreleaser_text is not None:
        from matrix.goreleaser import release_targets  # noqa: PLC0415 (lazy: goreleaser only)
        try:
            built = {rt.target().platform
                     for rt in release_targets(goreleaser_text, source=goreleaser_source)}
            configs.append((goreleaser_source, built, set()))
        except (ConfigError, ValueError) as exc:
            notes.append(f"{goreleaser_source} could not be read, so the ports it builds are "
                         f"not claimed: {exc}")
    for path, text in facts.workflows:
        try:
            configs.append((path, *_from_pairs(workflows.named_pairs(text), ports)))
        except ValueError as exc:
            notes.append(f"{path} could not be read, so the ports it names are not claimed: "
                         f"{exc}")
    by_files = {pid: list(why) for pid, why in files.items()}
    by_config: dict[str, list[str]] = {}
    for why, named, _ in configs:
        for pid in named:
            if pid in labels:
                by_config.setdefault(pid, []).append(why)
    # A GOARCH named alone is claimed on the GOOSes checked anyway; a GOARCH none of them has
    # (wasm) on every GOOS that has it.
    base = {pid.split("/")[0] for pid in labels
            if labels[pid] or pid in by_files or pid in by_config}
    arch_config: dict[str, list[str]] = {}
    for why, _, named in configs:
        for pid in named:
            arch_config.setdefault(pid, []).append(why)
    for pid in sorted(set(arch_files) | set(arch_config)):
        goos, goarch = pid.split("/")
        if goos in base or not any(p.goarch == goarch and p.goos in base for p in ports):
            by_files.setdefault(pid, []).extend(
                w for w in arch_files.get(pid, ()) if w not in by_files.get(pid, ()))
            by_config.setdefault(pid, []).extend(
                w for w in arch_config.get(pid, ()) if w not in by_config.get(pid, ()))
    reasons = {pid: [*labels[pid], *_capped(by_files.get(pid, [])), *by_config.get(pid, [])]
               for pid in labels}
    first = [p.id for p in ports if p.first_class]
    rest = [p.id for p in ports if not p.first_class and reasons[p.id]]
    return Claimed(reasons=tuple((pid, tuple(reasons[pid])) for pid in first + rest),
                   notes=tuple(notes))
