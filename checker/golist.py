"""Facts the planner needs from the toolchain: variant defaults (`go env`) and each candidate
job's file selection (`go list`). Thin I/O: the decisions are in matrix/equivalence.py."""

from __future__ import annotations

import concurrent.futures as cf
import json
from collections.abc import Iterable, Mapping, Sequence

from checker import proc
from checker.toolchain import Toolchain, go_env
from matrix.equivalence import GOLIST_ARGS, Listing, parse_listing
from matrix.plan import Job
from matrix.targets import Target

# GOARCH -> the variable holding its variant.
VARIANT_VARS = {"arm": "GOARM", "amd64": "GOAMD64", "386": "GO386", "mips": "GOMIPS",
                "mipsle": "GOMIPS", "mips64": "GOMIPS64", "mips64le": "GOMIPS64",
                "ppc64": "GOPPC64", "ppc64le": "GOPPC64", "riscv64": "GORISCV64",
                "arm64": "GOARM64"}


def host_platform(tc: Toolchain, env: Mapping[str, str], cwd: str) -> str:
    res = proc.run([tc.go, "env", "GOHOSTOS", "GOHOSTARCH"], env=go_env(env), cwd=cwd,
                   timeout=60)
    lines = res.stdout.split()
    return "/".join(lines[:2]) if res.exit_code == 0 and len(lines) >= 2 else ""


def variant_defaults(tc: Toolchain, env: Mapping[str, str], goarchs: Iterable[str],
                     cwd: str) -> dict[str, str]:
    """GOARCH -> the variant `go env` reports when none is set, spelled as in target ids."""
    out: dict[str, str] = {}
    for goarch in sorted(set(goarchs)):
        var = VARIANT_VARS.get(goarch)
        if var is None:
            continue
        res = proc.run([tc.go, "env", "-json", var], env={**go_env(env), "GOARCH": goarch},
                       cwd=cwd, timeout=60)
        if res.exit_code != 0:
            continue
        try:
            value = str(json.loads(res.stdout).get(var, ""))
        except (json.JSONDecodeError, AttributeError):
            continue
        if value:
            out[goarch] = "v" + value if goarch == "arm" and value.isdigit() else value
    return out


def listings(tc: Toolchain, env: Mapping[str, str], jobs: Sequence[Job], *,
             packages: Sequence[str], cwd: str, width: int = 2,
             group: proc.ProcessGroup | None = None) -> dict[str, Listing]:
    """`go list -deps -test` under each job's settings (`width` at a time), as fingerprints
    keyed by job name."""

    def one(job: Job) -> Listing:
        args = [tc.go, *GOLIST_ARGS]
        if job.tags:
            args.insert(2, "-tags=" + ",".join(job.tags))
        res = proc.run([*args, *packages], env={**go_env(env), **job.env()}, cwd=cwd,
                       timeout=300, group=group)
        return parse_listing(res.stdout, exit_code=res.exit_code)

    with cf.ThreadPoolExecutor(max_workers=max(1, width)) as pool:
        return dict(zip((j.name for j in jobs), pool.map(one, jobs), strict=True))


def variant_arches(targets: Iterable[Target]) -> set[str]:
    return {t.goarch for t in targets if t.variant}
