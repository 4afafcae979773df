"""A module proxy on disk (GOPROXY=file://...) for tests that download a dependency offline."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path


def h1(files: dict[str, bytes]) -> str:
    """Go's dirhash.Hash1 (the h1: hashes of go.sum)."""
    summary = "".join(f"{hashlib.sha256(files[n]).hexdigest()}  {n}\n" for n in sorted(files))
    return "h1:" + base64.b64encode(hashlib.sha256(summary.encode()).digest()).decode()


def with_dep(root: Path) -> tuple[Path, str]:
    """A file-based module proxy holding example.com/dep v1.0.0; returns it and go.sum lines."""
    gomod = b"module example.com/dep\n\ngo 1.21\n"
    source = b"package dep\n\n// Size does not fit a 32-bit int.\nconst Size = 1 << 40\n"
    prefix = "example.com/dep@v1.0.0/"
    vdir = root / "example.com" / "dep" / "@v"
    vdir.mkdir(parents=True)
    (vdir / "list").write_text("v1.0.0\n")
    (vdir / "v1.0.0.info").write_text('{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}\n')
    (vdir / "v1.0.0.mod").write_bytes(gomod)
    files = {prefix + "go.mod": gomod, prefix + "dep.go": source}
    with zipfile.ZipFile(vdir / "v1.0.0.zip", "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    gosum = (f"example.com/dep v1.0.0 {h1(files)}\n"
             f"example.com/dep v1.0.0/go.mod {h1({'go.mod': gomod})}\n")
    return root, gosum


def usedep(root: Path) -> tuple[Path, Path]:
    """Under root: the proxy of with_dep, and a module (usedep/) that requires example.com/dep
    and assigns its Size to an int (a finding on 32-bit targets). Returns (proxy, module)."""
    proxy, gosum = with_dep(root / "proxy")
    mod = root / "usedep"
    mod.mkdir()
    (mod / "go.mod").write_text("module example.com/usedep\n\ngo 1.21\n\n"
                                "require example.com/dep v1.0.0\n")
    (mod / "go.sum").write_text(gosum)
    (mod / "use.go").write_text('package usedep\n\nimport "example.com/dep"\n\n'
                                "var N int = dep.Size\n")
    return proxy, mod
