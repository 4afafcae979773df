"""Which Go versions and images a container run uses. Pure: reads only the text it is given."""

from __future__ import annotations

import re
from collections.abc import Sequence

from matrix.config import GO_RELEASE, parse_go_versions
from matrix.errors import UsageError

DEFAULT_IMAGE = "golang:{version}"
_GO_RE = re.compile(rf"^\s*go\s+({GO_RELEASE}|\d+)\s*(?://.*)?$", re.MULTILINE)
_TOOLCHAIN_RE = re.compile(rf"^\s*toolchain\s+go({GO_RELEASE})\s*(?://.*)?$", re.MULTILINE)


def gomod_version(gomod_text: str) -> str:
    """The Go version go.mod asks for: its `toolchain` line, else its `go` line, else ''."""
    m = _TOOLCHAIN_RE.search(gomod_text) or _GO_RE.search(gomod_text)
    return m.group(1) if m else ""


def go_versions(requested: Sequence[str], gomod_text: str) -> tuple[str, ...]:
    """The versions to check with: the requested ones, else the one go.mod names."""
    if requested:
        return parse_go_versions(list(requested))
    version = gomod_version(gomod_text)
    if not version:
        raise UsageError("go.mod has no `go` or `toolchain` line: pass --go-versions "
                         "(or --image) to say which Go image to use")
    return (version,)


def image_for(version: str, override: str = "") -> str:
    """`golang:<version>`, or the --image override; `{version}` in the override is replaced."""
    return (override or DEFAULT_IMAGE).replace("{version}", version)


def images(versions: Sequence[str], override: str = "") -> dict[str, str]:
    """version -> image. A fixed --image with several versions would check one Go many times."""
    if override and "{version}" not in override and len(versions) > 1:
        raise UsageError(f"--image {override} names one image but {len(versions)} Go versions "
                         "were asked for: put {version} in the image name, e.g. "
                         "registry.example/golang:{version}")
    return {v: image_for(v, override) for v in versions}


def has_requirements(gomod_text: str) -> bool:
    """Whether the module needs anything downloaded (a `require` line or block)."""
    return re.search(r"^\s*require\b", gomod_text, re.MULTILINE) is not None


def file_proxy_dirs(goproxy: str) -> tuple[str, ...]:
    """Host directories named by `file://` entries of a GOPROXY list (to be mounted read-only)."""
    out: list[str] = []
    for raw in re.split(r"[,|]", goproxy):
        entry = raw.strip()
        if entry.startswith("file://"):
            path = entry.removeprefix("file://")
            if path.startswith("/") and path not in out:
                out.append(path)
    return tuple(out)
