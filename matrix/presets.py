"""Named target sets: claimed (the default), first-class, all, 32bit, 64bit, cgo, release.
Pure: ports (and the module's claims, matrix/claims.py) passed in."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from matrix import claims
from matrix.claims import Claimed
from matrix.errors import UsageError
from matrix.selectors import PresetFn
from matrix.targets import Port, Target

PRESETS = ("claimed", "first-class", "all", "32bit", "64bit", "cgo", "release")
DEFAULT_TARGETS = "claimed"


def presets(ports: Sequence[Port], *, goreleaser_text: str | None = None,
            goreleaser_source: str = ".goreleaser.yaml",
            notes: list[str] | None = None,
            claimed: Callable[[], Claimed] | None = None) -> dict[str, PresetFn]:
    """Preset name -> a function giving its targets (evaluated only when used).

    `claimed` gives the module's claimed targets (matrix/claims.py); without it, `claimed` is
    what can be told without reading the module: the first-class ports and what
    .goreleaser.yaml builds.

    `release` needs the text of the module's .goreleaser.yaml; targets it names that this
    toolchain does not support are left out and said in `notes`.
    """
    known = {p.id for p in ports}

    def release() -> list[Target]:
        if goreleaser_text is None:
            raise UsageError("the `release` preset needs a .goreleaser.yaml (or .goreleaser.yml) "
                             "in the module root, or `goreleaser:` in .crossvet.yaml")
        out: list[Target] = []
        from matrix.goreleaser import release_targets  # noqa: PLC0415 (lazy: goreleaser only)
        for rt in release_targets(goreleaser_text, source=goreleaser_source):
            t = rt.target()
            if t.platform not in known:
                if notes is not None:
                    notes.append(f"{goreleaser_source} builds {rt.name}, which this Go toolchain "
                                 "does not support: not checked")
                continue
            out.append(t)
        return out

    def claimed_targets() -> list[Target]:
        found = claimed() if claimed is not None else claims.claimed(
            ports, None, goreleaser_text=goreleaser_text, goreleaser_source=goreleaser_source)
        return [Target.parse(tid) for tid in found.ids]

    return {
        "claimed": claimed_targets,
        "first-class": lambda: [p.target for p in ports if p.first_class],
        "all": lambda: [p.target for p in ports],
        "32bit": lambda: [p.target for p in ports if p.target.int_bits == 32],
        "64bit": lambda: [p.target for p in ports if p.target.int_bits == 64],
        "cgo": lambda: [p.target for p in ports if p.cgo_supported],
        "release": release,
    }
