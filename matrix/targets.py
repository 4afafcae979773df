"""Targets (GOOS/GOARCH plus an optional variant) and the ports a toolchain knows."""

from __future__ import annotations

import json
from dataclasses import dataclass

from matrix.errors import UsageError

# GOARCHes whose `int`, `uint` and `uintptr` are 32 bits wide.
ARCH_32BIT = frozenset({"386", "arm", "mips", "mipsle", "wasm32", "amd64p32"})

# GOARCH -> the environment variable that holds its variant (OCI notation: linux/arm/v6).
# The one table of these variables: the planner, the probes and Target.env all read it.
VARIANT_ENV = {
    "arm": "GOARM",
    "amd64": "GOAMD64",
    "386": "GO386",
    "mips": "GOMIPS",
    "mipsle": "GOMIPS",
    "mips64": "GOMIPS64",
    "mips64le": "GOMIPS64",
    "ppc64": "GOPPC64",
    "ppc64le": "GOPPC64",
    "riscv64": "GORISCV64",
    "arm64": "GOARM64",
}


def links_only_with_cgo(goos: str, goarch: str) -> bool:
    """Whether go links a main package for goos/goarch only externally, that is only with cgo:
    with CGO_ENABLED=0 go refuses it, "requires external (cgo) linking" (every ios port, as
    go 1.27 does it, and android's but arm64)."""
    return goos == "ios" or (goos == "android" and goarch != "arm64")


@dataclass(frozen=True, kw_only=True, order=True)
class Target:
    """One GOOS/GOARCH pair, optionally with an architecture variant such as `v6` or `softfloat`."""

    goos: str
    goarch: str
    variant: str = ""

    @property
    def id(self) -> str:
        base = f"{self.goos}/{self.goarch}"
        return f"{base}/{self.variant}" if self.variant else base

    @property
    def platform(self) -> str:
        """The id without the variant."""
        return f"{self.goos}/{self.goarch}"

    @property
    def int_bits(self) -> int:
        return 32 if self.goarch in ARCH_32BIT else 64

    def env(self) -> dict[str, str]:
        """The environment variables that select this target."""
        out = {"GOOS": self.goos, "GOARCH": self.goarch}
        if self.variant:
            var = VARIANT_ENV.get(self.goarch)
            if var is None:
                raise UsageError(f"{self.id}: GOARCH {self.goarch} has no variants")
            value = self.variant
            if var == "GOARM" and value.startswith("v"):
                value = value[1:]
            out[var] = value
        return out

    @classmethod
    def parse(cls, text: str) -> Target:
        parts = text.strip().split("/")
        if len(parts) not in (2, 3) or not all(parts):
            raise UsageError(f"bad target {text!r}: expected GOOS/GOARCH or GOOS/GOARCH/VARIANT")
        return cls(goos=parts[0], goarch=parts[1], variant=parts[2] if len(parts) == 3 else "")


@dataclass(frozen=True, kw_only=True)
class Port:
    """A port as `go tool dist list -json` describes it."""

    goos: str
    goarch: str
    cgo_supported: bool = False
    first_class: bool = False

    @property
    def id(self) -> str:
        return f"{self.goos}/{self.goarch}"

    @property
    def target(self) -> Target:
        return Target(goos=self.goos, goarch=self.goarch)


def parse_dist_list(text: str) -> tuple[Port, ...]:
    """Parse the output of `go tool dist list -json`."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"cannot parse `go tool dist list -json` output: {exc}") from exc
    ports = [
        Port(
            goos=str(p["GOOS"]),
            goarch=str(p["GOARCH"]),
            cgo_supported=bool(p.get("CgoSupported", False)),
            first_class=bool(p.get("FirstClass", False)),
        )
        for p in raw
    ]
    return tuple(sorted(ports, key=lambda p: p.id))
