"""Build constraints as go/build reads them, and the ports a file *claims* with them. Pure.

A file claims the GOOS and GOARCH values its constraints name positively: its name
(`lock_plan9.go`, `y_linux_386_test.go`, by go/build's rule) and its `//go:build` line (or,
without one, its `// +build` lines). A name under an odd number of negations claims nothing
(`!windows` says where the file is *not* built), and `unix` names every Unix GOOS. A claimed
port is a port of the toolchain whose GOOS or GOARCH is named and for which the constraint can
hold (other tags free): `//go:build linux && arm64` claims linux/arm64 only.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from matrix.targets import Port

# From Go's src/internal/syslist/syslist.go: every GOOS and GOARCH go/build knows (past,
# present and future; used for file names), and the GOOSes the `unix` tag matches.
KNOWN_OS = frozenset({
    "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux",
    "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos"})
UNIX_OS = frozenset({
    "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "linux",
    "netbsd", "openbsd", "solaris"})
KNOWN_ARCH = frozenset({
    "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips", "mipsle",
    "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le", "riscv",
    "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm"})
# GOOS -> the other GOOS tag it also satisfies (go/build's matchTag).
IMPLIES = {"android": "linux", "illumos": "solaris", "ios": "darwin"}

# ---- the expression: a tag, !x, x && y, x || y ------------------------------------------------


@dataclass(frozen=True)
class Tag:
    name: str


@dataclass(frozen=True)
class Not:
    x: Expr


@dataclass(frozen=True)
class And:
    x: Expr
    y: Expr


@dataclass(frozen=True)
class Or:
    x: Expr
    y: Expr


Expr = Tag | Not | And | Or


class ConstraintSyntaxError(ValueError):
    """A `//go:build` expression go would refuse."""


_TOKEN = re.compile(r"\s*(?:(&&|\|\||[!()])|([\w.]+)|(\S))", re.UNICODE)
_MAX_DEPTH = 100


@functools.lru_cache(maxsize=4096)  # a module's files repeat their lines; an Expr is immutable
def parse(text: str) -> Expr:
    """Parse a `//go:build` expression (`linux && (386 || arm) && !cgo`), Go's grammar:
    `||` binds looser than `&&`, which binds looser than `!`; parentheses group."""
    tokens: list[str] = []
    for m in _TOKEN.finditer(text):
        if m.group(3):
            raise ConstraintSyntaxError(f"unexpected {m.group(3)!r} in build constraint {text!r}")
        tokens.append(m.group(1) or m.group(2))
    pos = 0

    def peek() -> str:
        return tokens[pos] if pos < len(tokens) else ""

    def take() -> str:
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def or_(depth: int) -> Expr:
        x = and_(depth)
        while peek() == "||":
            take()
            x = Or(x, and_(depth))
        return x

    def and_(depth: int) -> Expr:
        x = not_(depth)
        while peek() == "&&":
            take()
            x = And(x, not_(depth))
        return x

    def not_(depth: int) -> Expr:
        if depth > _MAX_DEPTH:
            raise ConstraintSyntaxError(f"build constraint too deeply nested: {text!r}")
        tok = peek()
        if tok == "!":
            take()
            return Not(not_(depth + 1))
        if tok == "(":
            take()
            x = or_(depth + 1)
            if peek() != ")":
                raise ConstraintSyntaxError(f"missing ')' in build constraint {text!r}")
            take()
            return x
        if not tok or tok in ("&&", "||", ")"):
            raise ConstraintSyntaxError(f"expected a tag in build constraint {text!r}")
        return Tag(take())

    expr = or_(0)
    if pos != len(tokens):
        raise ConstraintSyntaxError(f"unexpected {peek()!r} in build constraint {text!r}")
    return expr


def parse_plus_build(lines: Sequence[str]) -> Expr | None:
    """Old `// +build` lines (their text after `+build`): spaces are OR, commas AND, `!` NOT;
    several lines are ANDed. None when they say nothing."""
    out: Expr | None = None
    for line in lines:
        line_expr: Expr | None = None
        for clause in line.split():
            clause_expr: Expr | None = None
            for lit in clause.split(","):
                neg = lit.startswith("!") and not lit.startswith("!!")
                name = lit[1:] if neg else lit
                term: Expr = Tag(name if re.fullmatch(r"[\w.]+", name) else "ignore")
                term = Not(term) if neg else term
                clause_expr = term if clause_expr is None else And(clause_expr, term)
            if clause_expr is not None:
                line_expr = clause_expr if line_expr is None else Or(line_expr, clause_expr)
        if line_expr is not None:
            out = line_expr if out is None else And(out, line_expr)
    return out


@functools.lru_cache(maxsize=8192)  # asked of each file by the walk, the claims and the cgo plan
def file_name_expr(name: str) -> Expr | None:
    """The constraint a file name implies, by go/build's rule: after the first `_`, a trailing
    `_test` dropped, `_GOOS_GOARCH`, `_GOOS` or `_GOARCH` at the end (`lock_plan9.go`,
    `y_linux_386_test.go`). `linux.go` and `x_unix.go` imply nothing."""
    stem = name.rsplit("/", 1)[-1].split(".", 1)[0]
    i = stem.find("_")
    if i < 0:
        return None
    parts = stem[i:].split("_")
    if parts and parts[-1] == "test":
        parts = parts[:-1]
    n = len(parts)
    if n >= 2 and parts[-2] in KNOWN_OS and parts[-1] in KNOWN_ARCH:
        return And(Tag(parts[-2]), Tag(parts[-1]))
    if n >= 1 and (parts[-1] in KNOWN_OS or parts[-1] in KNOWN_ARCH):
        return Tag(parts[-1])
    return None


# ---- what an expression names, and where it can hold ----------------------------------------

def positive_tags(expr: Expr, negated: bool = False) -> set[str]:
    """The tags named under an even number of negations."""
    if isinstance(expr, Tag):
        return set() if negated else {expr.name}
    if isinstance(expr, Not):
        return positive_tags(expr.x, not negated)
    return positive_tags(expr.x, negated) | positive_tags(expr.y, negated)


def _tags(expr: Expr) -> set[str]:
    if isinstance(expr, Tag):
        return {expr.name}
    if isinstance(expr, Not):
        return _tags(expr.x)
    return _tags(expr.x) | _tags(expr.y)


def _eval(expr: Expr, value: Mapping[str, bool]) -> bool:
    if isinstance(expr, Tag):
        return value[expr.name]
    if isinstance(expr, Not):
        return not _eval(expr.x, value)
    if isinstance(expr, And):
        return _eval(expr.x, value) and _eval(expr.y, value)
    return _eval(expr.x, value) or _eval(expr.y, value)


_MAX_FREE = 10  # beyond 2**10 assignments of the other tags, assume the constraint can hold


def _system_tag(name: str) -> bool:
    return name in KNOWN_OS or name in KNOWN_ARCH or name == "unix"


def holds_on(expr: Expr, goos: str, goarch: str, *, implied: bool = True) -> bool:
    """Whether some choice of the tags that are not GOOS/GOARCH/unix (cgo, purego, go1.22, …)
    makes the constraint true for goos/goarch. `ignore` is never set (the convention for files
    no build includes, such as `//go:build ignore` generators). `implied=False` leaves out the
GOOS a GOOS implies (linux on android)."""
    return _holds(expr, _tags(expr), goos, goarch, implied=implied)


def _compiled(expr: Expr) -> Callable[[Mapping[str, bool]], bool]:
    """_eval as a closure, for an expression asked of many ports (claim)."""
    if isinstance(expr, Tag):
        name = expr.name
        return lambda value: value[name]
    if isinstance(expr, Not):
        x = _compiled(expr.x)
        return lambda value: not x(value)
    a, b = _compiled(expr.x), _compiled(expr.y)
    if isinstance(expr, And):
        return lambda value: a(value) and b(value)
    return lambda value: a(value) or b(value)


@functools.cache
def _on(goos: str, goarch: str, implied: bool) -> frozenset[str]:
    """The system tags set for goos/goarch: both, unix on a Unix GOOS, and with `implied` the
    GOOS it implies (linux on android)."""
    on = {goos, goarch} | ({IMPLIES[goos]} if goos in IMPLIES and implied else set())
    if goos in UNIX_OS:
        on.add("unix")
    return frozenset(on)


def _holds(expr: Expr, tags: set[str], goos: str, goarch: str, *, implied: bool,
           run: Callable[[Mapping[str, bool]], bool] | None = None) -> bool:
    """holds_on with the expression's tags (_tags) given, and `run` its _compiled form when
    there is one."""
    on = _on(goos, goarch, implied)
    fixed = {t: t in on for t in tags if _system_tag(t) or t == "ignore"}
    if len(fixed) == len(tags):  # (most constraints name system tags only)
        return run(fixed) if run is not None else _eval(expr, fixed)
    free = sorted(tags - set(fixed))
    if len(free) > _MAX_FREE:
        return True
    return any(_eval(expr, {**fixed, **dict(zip(free, values, strict=True))})
               for values in itertools.product((False, True), repeat=len(free)))


def satisfiable(expr: Expr) -> bool:
    """Whether the constraint holds for some GOOS/GOARCH go/build knows and some choice of the
    other tags (never `ignore`)."""
    return any(holds_on(expr, goos, goarch) for goos in sorted(KNOWN_OS)
               for goarch in sorted(KNOWN_ARCH))


@dataclass(frozen=True, kw_only=True)
class Claim:
    """The ports one constraint claims: `ports` by naming their GOOS, `arch_only` by naming
    only their GOARCH (`x_amd64.go`), which the planner narrows to the GOOSes it checks."""

    ports: frozenset[str] = frozenset()
    arch_only: frozenset[str] = frozenset()


def claim(expr: Expr | None, ports: Iterable[Port]) -> Claim:
    """The toolchain's ports the constraint names positively and can hold on."""
    if expr is None:
        return Claim()
    named = positive_tags(expr)
    goos = {t for t in named if t in KNOWN_OS} | (UNIX_OS if "unix" in named else set())
    goarch = {t for t in named if t in KNOWN_ARCH}
    if not goos and not goarch:
        return Claim()
    tags, run = _tags(expr), _compiled(expr)
    seen: dict[frozenset[str], bool] = {}  # the expression's system tags set -> whether it holds

    def holds(goos: str, goarch: str, implied: bool) -> bool:
        on = _on(goos, goarch, implied) & tags  # ports that agree on the expression's tags
        if on not in seen:  # agree on it (linux/386 and linux/arm on `linux && !s390x`)
            seen[on] = _holds(expr, tags, goos, goarch, implied=implied, run=run)
        return seen[on]

    by_os: set[str] = set()
    by_arch: set[str] = set()
    for p in ports:
        if p.goos in goos and holds(p.goos, p.goarch, True):
            by_os.add(p.id)
        elif p.goarch in goarch and holds(p.goos, p.goarch, False):
            # (android/arm64 does satisfy `linux && arm64`, but that names linux, not android)
            by_arch.add(p.id)
    return Claim(ports=frozenset(by_os), arch_only=frozenset(by_arch))


def file_expr(path: str, build: str = "", plus_build: Sequence[str] = ()) -> Expr | None:
    """A file's whole constraint: its name's, and its `//go:build` line's (text after
    `//go:build`), or without one its `// +build` lines'. A line go would refuse is left out
    (go reports it; claims stay with what can be read)."""
    parts: list[Expr] = []
    by_name = file_name_expr(path)
    if by_name is not None:
        parts.append(by_name)
    line: Expr | None = None
    if build:
        try:
            line = parse(build)
        except ConstraintSyntaxError:
            line = None
    elif plus_build:
        line = parse_plus_build(plus_build)
    if line is not None:
        parts.append(line)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts[0], parts[1])

