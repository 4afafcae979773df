"""Repositories with several Go modules: a `go.work` workspace or a tree of `go.mod` files.
Pure: the text of go.work and go.mod files and the list of module directories found are
passed in (crossvet/discover.py walks the tree and reads them).

- `parse_gowork`: the `use` directories of a go.work (single lines and `use ( ... )` blocks).
- `module_path`: the `module` line of a go.mod.
- `select`: the modules `--modules` / `modules:` selectors choose: `all`, a module directory
  (`app`, `.` for the root), its module path (`example.com/app`), a glob over either
  (`services/*`), `DIR/...` (that directory and below), and `!` exclusions of any of those.
  Excluding a directory also excludes the modules nested under it (`!tools` drops `tools/lint`).
- `problems`: what makes a set of modules uncheckable: a `use` directory without go.mod, two
  modules with the same module path.
- `gowork_without`: a go.work without the `use`s of modules left out (--keep-going), its
  directories made absolute so that the file can live anywhere: go refuses a whole workspace
  when one `use`d module cannot be loaded.
- `combine`: one plan from each module's plan: every job carries its module, names are
  prefixed with it (`app:linux/386`), notes too.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from matrix.errors import UsageError
from matrix.plan import Plan

ALL = "all"
_MODULE_RE = re.compile(r"^[ \t]*module[ \t]+(\S+)", re.MULTILINE)
_COMMENT_RE = re.compile(r"//.*$", re.MULTILINE)
_GO_LINE_RE = re.compile(r"^[ \t]*go[ \t]+(\d+\.\d+(?:\.\d+)?(?:rc\d+)?)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True, kw_only=True)
class Module:
    """One module of a run. `dir` is relative to the checked root, slash-separated, `.` for
    the root itself; `path` is its module path (empty when its go.mod is missing)."""

    dir: str
    path: str = ""
    has_gomod: bool = True

    @property
    def label(self) -> str:
        return self.dir


def module_path(gomod_text: str) -> str:
    m = _MODULE_RE.search(_COMMENT_RE.sub("", gomod_text))
    return m.group(1).strip('"`') if m else ""


def go_line(gomod_text: str) -> str:
    """The version of a go.mod's `go` line (`1.25.0`), or ""."""
    m = _GO_LINE_RE.search(_COMMENT_RE.sub("", gomod_text))
    return m.group(1) if m else ""


def clean_dir(path: str) -> str:
    """A module directory as crossvet names it: relative, slash-separated, `.` for the root."""
    norm = posixpath.normpath(path.replace("\\", "/")) if path else "."
    return norm.removeprefix("./") or "."


def parse_gowork(text: str, *, source: str = "go.work") -> tuple[str, ...]:
    """The `use` directories of a go.work, cleaned, in file order, each once."""
    uses: list[str] = []
    block = False
    for n, raw in enumerate(_COMMENT_RE.sub("", text).splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if block:
            if line == ")":
                block = False
                continue
            uses.append(_unquote(line, source, n))
            continue
        words = line.split(None, 1)
        if words[0] != "use":
            continue
        rest = words[1].strip() if len(words) > 1 else ""
        if rest == "(":
            block = True
        elif rest.startswith("(") and rest.endswith(")"):
            inner = rest[1:-1].strip()
            if inner:
                uses.append(_unquote(inner, source, n))
        elif rest:
            uses.append(_unquote(rest, source, n))
        else:
            raise UsageError(f"{source}:{n}: `use` without a directory")
    if block:
        raise UsageError(f"{source}: unterminated `use (` block")
    return tuple(dict.fromkeys(clean_dir(u) for u in uses))


def _local(path: str) -> bool:
    """Whether a go.mod/go.work path names a directory (as go's modfile.IsDirectoryPath)."""
    return path in (".", "..") or path.startswith(("./", "../", "/", ".\\", "..\\"))


def _split_path(text: str) -> tuple[str, str]:
    """A go.mod/go.work path at the start of `text` (quoted, perhaps with spaces, or one
    word) and what follows it."""
    text = text.strip()
    if text[:1] in ("\"", "`"):
        end = text.find(text[0], 1)
        if end > 0:
            return text[1:end], text[end + 1:].strip()
    word, _, rest = text.partition(" ")
    return word, rest.strip()


def gowork_without(text: str, dropped: Sequence[str], *, root: str) -> str:
    """The go.work `text` (of the directory `root`, absolute and slash-separated, as the go
    commands see it) without the `use` lines of the module directories `dropped`, every
    relative directory in it (`use`, the local target of a `replace`) made absolute, comments
    left out. Every other line (go, toolchain, godebug, replace) is kept as it is."""
    gone = {clean_dir(d) for d in dropped}

    def absolute(path: str) -> str:
        if _local(path) and not posixpath.isabs(path):
            path = posixpath.normpath(posixpath.join(root, path.replace("\\", "/")))
        return f'"{path}"'

    out: list[str] = []
    block = ""
    for raw in _COMMENT_RE.sub("", text).splitlines():
        line = raw.strip()
        if not line:
            continue
        if block and line == ")":
            block = ""
            out.append(")")
            continue
        verb, _, rest = (block, "", line) if block else line.partition(" ")
        rest = rest.strip()
        if not block and rest == "(":
            block = verb
            out.append(f"{verb} (")
            continue
        if verb == "use" and rest:
            path, _ = _split_path(rest[1:-1] if rest[0] + rest[-1] == "()" else rest)
            if not path or clean_dir(path) in gone:
                continue
            rest = absolute(path)
        elif verb == "replace" and "=>" in rest:
            old, _, new = rest.partition("=>")
            path, version = _split_path(new)
            rest = f"{old.strip()} => {absolute(path) if _local(path) else path}"
            rest += f" {version}" if version else ""
        out.append(("\t" if block else f"{verb} ") + rest)
    return "\n".join(out) + "\n"


def _unquote(text: str, source: str, line: int) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"`":
        text = text[1:-1]
    if not text or posixpath.isabs(text.replace("\\", "/")) or text.startswith(".."):
        raise UsageError(f"{source}:{line}: use {text!r}: crossvet checks the modules under "
                         "the directory it is given (a relative path inside it)")
    return text


def _under(dir_: str, top: str) -> bool:
    return top in (".", dir_) or dir_.startswith(top + "/")


def _matches(selector: str, m: Module) -> bool:
    if selector == ALL:
        return True
    if selector.endswith("/..."):
        return _under(m.dir, clean_dir(selector[:-4]))
    sel = clean_dir(selector) if not selector.startswith(("*", "?", "[")) else selector
    return any(name and (name == sel or fnmatch.fnmatchcase(name, sel))
               for name in (m.dir, m.path))


def select(selectors: Sequence[str], modules: Sequence[Module], *,
           source: str = "--modules") -> tuple[Module, ...]:
    """The modules chosen, in the order given (`modules` is in directory order)."""
    include = [s for s in selectors if not s.startswith("!")]
    exclude = [s[1:] for s in selectors if s.startswith("!")]
    chosen: list[Module] = []
    for sel in include or [ALL]:
        found = [m for m in modules if _matches(sel, m)]
        if not found:
            names = ", ".join(m.dir for m in modules) or "none"
            raise UsageError(f"{source}: {sel!r} matches no module (modules found: {names})")
        chosen.extend(m for m in found if m not in chosen)
    for sel in exclude:
        top = clean_dir(sel.removesuffix("/..."))
        chosen = [m for m in chosen if not (_matches(sel, m) or (_under(m.dir, top)
                                            and top != "."))]
    order = {m.dir: i for i, m in enumerate(modules)}
    return tuple(sorted(chosen, key=lambda m: order.get(m.dir, len(order))))


def problems(modules: Sequence[Module], *, workspace: bool) -> dict[str, str]:
    """module dir -> why it cannot be checked (one clear message each)."""
    out: dict[str, str] = {}
    first: dict[str, str] = {}
    for m in modules:
        if not m.has_gomod:
            out[m.dir] = (f"{m.dir}: listed by `use` in go.work but has no go.mod"
                          if workspace else f"{m.dir}: no go.mod")
            continue
        if not m.path:
            out[m.dir] = f"{m.dir}/go.mod: no `module` line"
            continue
        if m.path in first:
            out[m.dir] = (f"{m.dir}: module path {m.path} is also the module path of "
                          f"{first[m.path]}; each module needs its own path")
            continue
        first[m.path] = m.dir
    return out


def combine(parts: Sequence[tuple[Module, Plan]]) -> Plan:
    """One plan for several modules: each module's jobs, in module order, named after it."""
    jobs = []
    notes: list[str] = []
    why: list[tuple[str, tuple[str, ...]]] = []
    packages: tuple[str, ...] = parts[0][1].packages if parts else ("./...",)
    for module, plan in parts:
        for job in plan.jobs:
            named = replace(job, module=module.dir,
                            packages=plan.packages if plan.packages != packages else ())
            jobs.append(named)
            if plan.why_of(job.name):
                why.append((named.name, plan.why_of(job.name)))
        notes.extend(f"{module.dir}: {n}" for n in plan.notes)
    return Plan(jobs=tuple(jobs), packages=packages, notes=tuple(notes),
                order=tuple(j.name for j in jobs), why=tuple(why))


def owner(file: str, dirs: Sequence[str]) -> str:
    """The module directory (of `dirs`) a repository-relative file belongs to: the deepest one
    that holds it, or '' when none does."""
    best = ""
    for d in dirs:
        if d and _under(file, d) and (not best or best == "." or len(d) > len(best)):
            best = d
    return best
