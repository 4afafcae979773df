"""golang.org/x/tools as a local module, offline: the Go distribution's own vendored copy
($GOROOT/src/cmd/vendor/golang.org/x/tools, what vet's analyzers are built from) behind a
go.mod, its directories linked, for a module whose analyzers import go/analysis
(tests/fixtures/lintmod). A fresh CI machine has it wherever it has Go."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from checker import toolchain


def go_line(goroot: str) -> str:
    """The `go` line of the vendored tree's module (cmd's): x/tools needs that language."""
    text = Path(goroot, "src", "cmd", "go.mod").read_text(encoding="utf-8")
    m = re.search(r"(?m)^go\s+(\S+)", text)
    assert m, "cmd/go.mod has no go line"
    return m.group(1)


def local_xtools(env: Mapping[str, str], dest: Path) -> tuple[Path, str]:
    """The module directory made at dest, and the go line a module using it needs."""
    goroot = toolchain.find(env).goroot
    vendored = Path(goroot, "src", "cmd", "vendor", "golang.org", "x", "tools")
    dest.mkdir(parents=True)
    version = go_line(goroot)
    (dest / "go.mod").write_text(f"module golang.org/x/tools\n\ngo {version}\n")
    for entry in vendored.iterdir():
        if entry.is_dir():
            (dest / entry.name).symlink_to(entry, target_is_directory=True)
    return dest, version


def use_xtools(module: Path, xtools: Path, version: str) -> None:
    """Make `module` (a copy of a fixture) build against that x/tools."""
    gomod = module / "go.mod"
    text = re.sub(r"(?m)^go\s+\S+", f"go {version}", gomod.read_text())
    gomod.write_text(text + f"\nrequire golang.org/x/tools v0.0.0\n\n"
                     f"replace golang.org/x/tools => {xtools}\n")
