"""Architecture variants in OCI notation (`linux/arm/v6`, `linux/amd64/v3`, `linux/386/softfloat`).

Pure: validates and normalises the variant part of a target id. The environment variable each
variant sets is in matrix.targets (Target.env).
"""

from __future__ import annotations

import re

from matrix.errors import UsageError

# GOARCH -> the values its variable accepts, in the spelling crossvet uses in target ids.
_CHOICES: dict[str, tuple[str, ...]] = {
    "arm": ("v5", "v6", "v7"),
    "amd64": ("v1", "v2", "v3", "v4"),
    "386": ("sse2", "softfloat"),
    "mips": ("hardfloat", "softfloat"),
    "mipsle": ("hardfloat", "softfloat"),
    "mips64": ("hardfloat", "softfloat"),
    "mips64le": ("hardfloat", "softfloat"),
    "ppc64": ("power8", "power9", "power10"),
    "ppc64le": ("power8", "power9", "power10"),
    "riscv64": ("rva20u64", "rva22u64", "rva23u64"),
}
_ARM64_RE = re.compile(r"^v(8\.[0-9]|9\.[0-5])(,(lse|crypto))*$")


def from_go_env(goarch: str, value: str) -> str:
    """The variant a `go env` value of goarch's variable is, spelled as in target ids.

    GOARM 7 is `v7`; Go 1.22 and 1.23 add the floating-point mode, `7,hardfloat`, which is
    GOARM=7's own (5's is softfloat), so it is `v7` too. Any other value is returned as it is.
    """
    if goarch != "arm":
        return value
    level, _, mode = value.partition(",")
    if level.isdigit() and mode in ("", "softfloat" if level == "5" else "hardfloat"):
        return "v" + level
    return value


def normalize(goarch: str, variant: str) -> str:
    """The canonical spelling of `variant` for `goarch`; raises UsageError for a bad one.

    `linux/arm/6` and `linux/arm/v6` are the same; `linux/arm64/v8` means GOARM64=v8.0.
    """
    v = variant.strip().lower()
    if goarch == "arm" and v in ("5", "6", "7"):
        v = "v" + v
    if goarch == "arm64":
        if re.fullmatch(r"v[89]", v):
            v += ".0"
        if _ARM64_RE.match(v):
            return v
        raise UsageError(f"bad variant {variant!r} for arm64: expected v8.0 .. v9.5 "
                         "(optionally with ,lse or ,crypto)")
    choices = _CHOICES.get(goarch)
    if choices is None:
        raise UsageError(f"GOARCH {goarch} has no variants (got {variant!r})")
    if v not in choices:
        raise UsageError(f"bad variant {variant!r} for {goarch}: expected one of "
                         f"{', '.join(choices)}")
    return v
