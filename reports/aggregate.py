"""One finding per problem: the same problem found by any target or check is merged.

Diagnostics merge when they name the same file, line and column and
- both are syntax errors, however worded: the compiler (`go build`) says
  `syntax error: unexpected }, expected expression` where go/parser (`go vet`, typecheck) says
  `expected operand, found '}'` (vet adds ` (and 2 more errors)`); or
- their first lines agree (ignoring vet's ` (and N more errors)`): `go build` prints continuation
  lines (`other declaration of X`) that `go vet` leaves out.

Such a finding carries one canonical message; the other wordings are kept in `also_worded`.

After a syntax error the two parsers recover differently, so go/parser's later syntax errors in
a file can sit where the compiler saw none (build: 8:11 `unexpected literal 2`; go/parser: 8:2
`expected ';', found 'return'`, 9:3 `expected '}', found 'EOF'`). When `go build` reported
syntax errors in that file for that target, such a go/parser error joins the compiler's nearest
one (fewest lines away; an earlier one on a tie), its wording kept as `LINE:COL: message`: the
compiler's list is the one that decides whether the file builds.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from checker import classify
from checker.model import Diagnostic, Suppressed
from matrix import categories
from matrix.ctargets import c_int_bits
from matrix.targets import ARCH_32BIT
from reports import fingerprint as fp


class Target(Protocol):
    """A target of the run as findings need it (reports/results.py TargetResult): `name` is
    its key (its diagnostics' `target`), `module` and `id` what a finding names it by."""

    @property
    def name(self) -> str: ...
    @property
    def module(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def goarch(self) -> str: ...
    @property
    def goos(self) -> str: ...
    @property
    def variant(self) -> str: ...
    @property
    def tags(self) -> tuple[str, ...]: ...
    @property
    def cgo(self) -> bool: ...
    @property
    def go_version(self) -> str: ...


@dataclass(frozen=True)
class Wording:
    """Another check's wording of a finding's message."""

    message: str
    checks: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"message": self.message, "checks": list(self.checks)}


@dataclass(frozen=True, kw_only=True)
class Finding:
    id: str
    category: str
    severity: str
    file: str
    line: int
    col: int
    message: str
    analyzer: str
    checks: tuple[str, ...]
    targets: tuple[str, ...]  # target ids (`linux/386 [netgo]`) of `module`
    explanation: str = ""
    also_worded: tuple[Wording, ...] = ()
    # The module whose jobs found it, in a run of several modules (else ""). A problem in a
    # file that two modules build (a workspace dependency) is a finding of each.
    module: str = ""
    dependency: str = ""  # the dependency module it is in (`module@version`), placed on go.mod
    url: str = ""  # its analyzer's documentation (category lint)
    fingerprint: str = ""  # identity across edits (reports/fingerprint.py)
    baseline: str = ""  # "new" or "existing" when compared with a baseline, else ""
    suppressed: Suppressed | None = None

    @property
    def counts(self) -> bool:
        """An error that is not suppressed: it fails the run (when new, see --fail-on)."""
        return self.severity == "error" and self.suppressed is None

    @property
    def location(self) -> str:
        if not self.file:
            return ""
        loc = self.file
        if self.line:
            loc += f":{self.line}"
            if self.col:
                loc += f":{self.col}"
        return loc

    @property
    def title(self) -> str:
        if categories.with_analyzer(self.category) and self.analyzer:
            return f"{self.category}/{self.analyzer}"
        return self.category

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "category": self.category, "severity": self.severity,
                "file": self.file, "line": self.line, "col": self.col, "message": self.message,
                "analyzer": self.analyzer, "checks": list(self.checks),
                "targets": list(self.targets), "explanation": self.explanation,
                "also_worded": [w.to_json() for w in self.also_worded],
                "fingerprint": self.fingerprint, "baseline": self.baseline or None,
                "suppressed": ({"by": self.suppressed.by, "reason": self.suppressed.reason}
                               if self.suppressed else None),
                **({"module": self.module} if self.module else {}),
                **({"dependency": self.dependency} if self.dependency else {}),
                **({"url": self.url} if self.url else {})}


def finding_id(file: str, message: str, category: str, analyzer: str, module: str = "") -> str:
    """Stable across runs and line shifts elsewhere in the file: no line numbers in it. (The
    `fingerprint` also tells apart the same message in two functions: baselines use that.)
    In a run of several modules, one module's finding is not another's (a shared file)."""
    text = "\x00".join((category, analyzer, file, message, *([module] if module else [])))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _config(t: Target) -> tuple[object, ...]:
    """A job's configuration but for cgo: a cgo-off job and its `+cgo` twin share it."""
    return (t.module, t.goos, t.goarch, t.variant, t.tags, t.go_version)


def _only_without_cgo(found: Sequence[Target], targets: Sequence[Target]) -> bool:
    """The finding is on cgo-off jobs only, each of which has a `+cgo` twin in the run that
    does not have it (cgo: auto): what it names exists only with cgo on."""
    twins = {_config(t) for t in targets if t.cgo}
    return bool(found) and all(not t.cgo and _config(t) in twins for t in found)


_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9.\-]+(?:[/?#=&%~+:;.,\-][A-Za-z0-9/?#=&%~+:;.,\-]*)?")
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.\-]+")


def plain_url(url: str) -> bool:
    """An http(s) URL with nothing a report format would read as markup."""
    return _PLAIN_URL.fullmatch(url) is not None


def documented(category: str, analyzer: str, url: str) -> str:
    """Where an analyzer of `analyzers:` explains its finding (its URL, as it declares it).
    Explanations are crossvet's own text, shown unescaped: the analyzer's name and URL (the
    module's) are used only when they hold nothing a report format would read as markup."""
    if category == "lint" and _PLAIN_NAME.fullmatch(analyzer) and plain_url(url):
        return f"The {analyzer} analyzer explains this finding at {url}"
    return ""


_C_TYPE = re.compile(r"\b_Ctype_(\w+)")  # cgo's name for C.long


def _c_overflow(ctype: str, targets: Sequence[Target]) -> str:
    """A constant that does not fit a C integer type: C's own width on each target (C's long is
    32 bits on windows/amd64, where Go's int is 64)."""
    by_bits: dict[int, list[str]] = {}
    for t in targets:
        by_bits.setdefault(c_int_bits(ctype, t.goos, t.goarch), []).append(t.id)
    widths = "; ".join(f"{bits} bits wide on {', '.join(dict.fromkeys(ids))}" if bits
                       else f"of a width crossvet does not know on {', '.join(dict.fromkeys(ids))}"
                       for bits, ids in sorted(by_bits.items()))
    return (f"The constant does not fit: C's {ctype} (C.{ctype}) is {widths}. Use a C type "
            "as wide on every port (C.longlong, C.int64_t) or keep the value in its range.")


def explain(category: str, targets: Sequence[Target], message: str = "",
            dependency: str = "", *, only_without_cgo: bool = False) -> str:
    if dependency:
        where = ", ".join(dict.fromkeys(t.id for t in targets))
        module = dependency.split("@", 1)[0]
        if " (go.work) " in message.split("\n", 1)[0]:  # checker/typecheck.py's mark
            return (f"This is in the dependency {module} as your go.work supplies it (the "
                    "directory the message names), not in this module, and it breaks the "
                    f"build on {where}. Fix it there; this go.mod line says which version "
                    "users get without the go.work: check that one too.")
        return (f"This is in the dependency {dependency}, not in this module, and it breaks the "
                f"build on {where}. This go.mod line brings it in: upgrade it to a release that "
                f"builds there (`go get {module}@latest`), pin a version that did, replace it "
                "with a fixed copy (a `replace` directive), or drop these targets from the "
                "ports you check.")
    if "requires external (cgo) linking" in message:
        return ("Go cannot vet, link or test a main or test package for this target without "
                "cgo (ios/*, android/386, android/amd64 and android/arm link externally). Check "
                "it with cgo on (`--cgo` with these targets; needs a C cross-compiler), or "
                "leave it out (for example `--targets 'all,!android/*'`; the default, `claimed`, "
                "leaves these ports out of a module whose main package they would link).")
    if category == "overflow" and (c := _C_TYPE.search(message)):
        return _c_overflow(c.group(1), targets)
    if category == "overflow":
        narrow = [t for t in targets if t.goarch in ARCH_32BIT]
        where = ", ".join(dict.fromkeys(t.id for t in narrow or targets))
        return (f"The constant does not fit: int, uint and uintptr are 32 bits wide on {where}. "
                "Give the value a sized type such as int64, for example `int64(a) * b` or "
                "`const limit int64 = ...`.")
    if category == "undefined" and only_without_cgo:
        return ("Declared only in cgo files (files that import \"C\"): the +cgo jobs of these "
                "targets have it. With CGO_ENABLED=0, what cross-compiling gives, this does not "
                "build: give it a pure-Go fallback (a file with `//go:build !cgo`), or put "
                "`//go:build cgo` on the files that use it.")
    if category == "undefined":
        return ("Declared only for some targets: check the build constraints (file names such as "
                "x_linux.go, `//go:build` lines) of the file that declares it, and provide it "
                "for the targets listed here too.")
    if category == "narrowing":
        return ("This conversion keeps every bit where int is 64 bits wide but can truncate on "
                "32-bit targets. Keep the value in a sized type (int64/uint64), or check its "
                "range before converting.")
    return ""


# Whose wording a merged finding shows: the compiler's (what `go build` and `go test` print, and
# it says "syntax error" outright), then the type-check engine's, then vet's (which may add
# "(and N more errors)" about errors it did not show). Within a check, the fullest (longest)
# wording, which keeps the continuation lines.
CHECK_PREFERENCE = ("build", "typecheck", "vet")
_AND_MORE_RE = re.compile(r" \(and \d+ more errors?\)$")


def merge_key(d: Diagnostic) -> tuple[str, int, int, str]:
    """Diagnostics with the same key are one finding, whichever target or check found them."""
    if _is_positioned_syntax(d):
        return (d.file, d.line, d.col, "\x00syntax")
    head = _AND_MORE_RE.sub("", d.message.split("\n", 1)[0]) if d.file else d.message
    return (d.file, d.line, d.col, head)


def _preference(check: str) -> int:
    return CHECK_PREFERENCE.index(check) if check in CHECK_PREFERENCE else len(CHECK_PREFERENCE)


def canonical_message(ds: Sequence[Diagnostic]) -> str:
    """The message a merged finding shows (see CHECK_PREFERENCE)."""
    return min(ds, key=lambda d: (_preference(d.check), -len(d.message), d.message)).message


def _is_positioned_syntax(d: Diagnostic) -> bool:
    return bool(d.file and d.line) and d.category != "vet" and classify.is_syntax(d.message)


def _fold_parser_cascades(diags: Sequence[Diagnostic]) -> list[tuple[tuple[str, int, int, str],
                                                                      Diagnostic, str]]:
    """(merge key, diagnostic, wording) for each diagnostic; see the module docstring."""
    compiled: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for d in diags:
        if d.check == "build" and _is_positioned_syntax(d):
            compiled.setdefault((d.target, d.file), []).append((d.line, d.col))
    out = []
    for d in diags:
        key, wording = merge_key(d), d.message
        spots = sorted(compiled.get((d.target, d.file), ()))
        if d.check != "build" and spots and _is_positioned_syntax(d) \
                and (d.line, d.col) not in spots:
            line, col = min(spots, key=lambda s: (abs(s[0] - d.line), s > (d.line, d.col),
                                                  abs(s[1] - d.col)))
            key, wording = (d.file, line, col, "\x00syntax"), f"{d.line}:{d.col}: {d.message}"
        out.append((key, d, wording))
    return out


def _context(ds: Sequence[Diagnostic], line: int) -> str:
    at = [d.context for d in ds if d.context and d.line == line]
    return (at or [d.context for d in ds if d.context] or [""])[0]


@dataclass(frozen=True, kw_only=True)
class _Unknown:
    """A diagnostic's target that is not among the run's targets: named as it is."""

    name: str
    module: str = ""
    goarch: str = ""
    goos: str = ""
    variant: str = ""
    tags: tuple[str, ...] = ()
    cgo: bool = False
    go_version: str = ""

    @property
    def id(self) -> str:
        return self.name


def aggregate(diags: Iterable[Diagnostic], targets: Sequence[Target]) -> tuple[Finding, ...]:
    """The findings of the diagnostics of `targets` (in the order targets are reported). Each
    module's findings are its own: diagnostics merge within the module whose jobs found them.
    A suppressed diagnostic joins only diagnostics suppressed by the same rule: a problem
    suppressed on some targets only is two findings, the one that counts naming the others."""
    by_name: dict[str, Target] = {t.name: t for t in targets}
    rank = {t.name: i for i, t in enumerate(targets)}
    groups: dict[tuple[str, tuple[str, int, int, str], Suppressed | None],
                 list[Diagnostic]] = {}
    worded: dict[int, str] = {}  # id(diagnostic) -> its wording, when not its message
    for key, d, wording in _fold_parser_cascades(list(diags)):
        of = by_name.get(d.target) or by_name.setdefault(d.target, _Unknown(name=d.target))
        groups.setdefault((of.module, key, d.suppressed), []).append(d)
        if wording != d.message:
            worded[id(d)] = wording
    findings = []
    for (module, (file, line, col, _), suppressed), ds in groups.items():
        message = canonical_message(ds)
        category = min((d.category for d in ds), key=categories.rank)
        analyzer = next((d.analyzer for d in ds if d.analyzer), "")
        dependency = next((d.dependency for d in ds if d.dependency), "")
        url = next((d.url for d in ds if d.url), "")
        severity = "error" if any(d.severity == "error" for d in ds) else "warning"
        found = [by_name[n] for n in sorted({d.target for d in ds},
                                             key=lambda n: (rank.get(n, len(rank)), n))]
        checks = sorted({d.check for d in ds})
        wordings: dict[str, set[str]] = {}
        for d in ds:
            wording = worded.get(id(d), d.message)
            if wording != message:
                wordings.setdefault(wording, set()).add(d.check)
        also = tuple(sorted(
            (Wording(m, tuple(sorted(cs, key=_preference))) for m, cs in wordings.items()),
            key=lambda w: (min(_preference(c) for c in w.checks), w.message)))
        findings.append(Finding(
            id=finding_id(file, message, category, analyzer, module), category=category,
            severity=severity, file=file, line=line, col=col, message=message,
            analyzer=analyzer, checks=tuple(checks), targets=tuple(t.id for t in found),
            module=module, explanation=explain(
                category, found, message, dependency,
                only_without_cgo=category == "undefined" and _only_without_cgo(found, targets))
            or documented(category, analyzer, url),
            also_worded=also, dependency=dependency, url=url,
            fingerprint=fp.fingerprint(category=category, analyzer=analyzer, file=file,
                                       message=message, context=_context(ds, line)),
            suppressed=suppressed,
        ))
    findings.sort(key=finding_order)
    return tuple(findings)


def mark_baseline(findings: Sequence[Finding], known: Iterable[str]) -> tuple[Finding, ...]:
    """Each finding marked `existing` when the baseline has its fingerprint, else `new`. The
    baseline is a multiset: a second copy of a known problem is new."""
    left = Counter(known)
    out = []
    for f in findings:
        state = "existing" if left[f.fingerprint] > 0 else "new"
        left[f.fingerprint] -= state == "existing"
        out.append(replace(f, baseline=state))
    return tuple(out)


def finding_order(f: Finding) -> tuple[int, int, int, str, int, int, str]:
    return (f.suppressed is not None, 0 if f.severity == "error" else 1,
            categories.rank(f.category), f.file, f.line, f.col, f.message)
