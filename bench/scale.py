"""The type-check engine at scale (issue #14): its own stats against a Kubernetes-style
per-platform type-check, on the module directories given (nothing is fetched here).

For each module, in one invocation, both with an empty GOCACHE (cold), then again (warm):

  k8s typecheck, 2-wide   bench/k8stypecheck: `go list -deps -test` and go/types over every
                          package of one platform, bodies included, two platforms at a time
  engine, typecheck       the engine on a request for every target (`--checks typecheck`),
                          no result cache; its `stats` answer how the work was shared

and prints wall time, peak memory (summed RSS of every process a run started, each counted
once: bench/typecheck_bench.tree_rss), and the engine's nodes (packages over all targets),
entries (distinct sharing keys), full checks (main-module packages checked with bodies), list
and check seconds, and its own peak (peak_rss_mb: VmHWM, what its memory budget governs).

    python bench/scale.py /path/to/x/sys /path/to/compress
    python bench/scale.py --go-work /path/to/go.work /path/to/x/tools   # dependencies offline

A run that loads none of the module's packages for some target (a module outside the go.work
given, say) is marked FAILED with go list's reason, and no bar is judged for that module.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tabulate import tabulate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.typecheck_bench import PeakRSS  # noqa: E402
from bench.vet_parity import TARGETS, bench_env, prepare  # noqa: E402
from checker import toolchain, typecheck  # noqa: E402
from matrix.options import DEFAULT_TYPECHECK_MEMORY  # noqa: E402
from matrix.plan import Job  # noqa: E402
from matrix.targets import Target  # noqa: E402

STATS = ("nodes", "entries", "results", "checked_full", "shared_by_use",
         "listed_from_reference", "released", "list_seconds", "check_seconds", "peak_rss_mb")


def engine_run(engine: str, tc: toolchain.Toolchain, module: Path, targets: Sequence[str], *,
               env: dict[str, str], work: Path,
               memory: int) -> tuple[float, float, dict[str, Any], str]:
    """One engine run over every target: (seconds, peak MB, the engine's stats, why it is not
    a measurement: "" when every target was listed and has packages)."""
    jobs = [Job(target=Target.parse(t), checks=("typecheck",)) for t in targets]
    req = typecheck.request(jobs, go=tc.go, module_dir=str(module), packages=["./..."],
                            width=2, results_dir="", goroot=tc.goroot,
                            settings=typecheck.Settings(memory_mb=memory, result_cache=False))
    path = work / "request.json"
    path.write_text(json.dumps(req))
    with PeakRSS() as rss:
        start = time.monotonic()
        res = subprocess.run([engine, str(path)], cwd=module, env=env, capture_output=True,
                             text=True, check=False)
        seconds = time.monotonic() - start
    if res.returncode != 0:
        raise SystemExit(f"engine failed on {module}: {res.stderr[-2000:]}")
    answer = typecheck.answer_of(res.stdout)
    stats: dict[str, Any] = answer.get("stats") or {}
    return seconds, rss.peak / 2**20, stats, unlisted(answer.get("targets") or [])


def unlisted(targets: Sequence[dict[str, Any]]) -> str:
    """Why an engine answer is not a measurement: a target not listed, or listed with no
    package (a module outside the go.work given, say); "" when every target has packages."""
    for t in targets:
        if t.get("error") or not t.get("packages"):
            errs = [d.get("message", "") for d in t.get("diagnostics") or []
                    if d.get("kind") == "list"]
            return f"{t.get('name')}: {t.get('error') or (errs[:1] or ['no packages'])[0]}"
    return ""


def baseline_run(binary: str, module: Path, targets: Sequence[str],
                 env: dict[str, str]) -> tuple[float, float, str]:
    """(seconds, peak MB, why it is not a measurement: "" when every platform was loaded;
    type errors count as a finished run)."""
    with PeakRSS() as rss:
        start = time.monotonic()
        res = subprocess.run([binary, "-parallel", "2", "-dir", str(module), *targets],
                             env=env, capture_output=True, text=True, check=False)
        seconds = time.monotonic() - start
    failed = res.stderr.strip().splitlines()[0] if res.returncode != 0 and res.stderr.strip() \
        else (f"exit {res.returncode}" if res.returncode != 0 else "")
    return seconds, rss.peak / 2**20, failed


def bench_module(module: Path, *, engine: str, baseline: str, tc: toolchain.Toolchain,
                 base_env: dict[str, str], targets: Sequence[str], work: Path,
                 memory: int) -> str:
    rows = []
    timings: dict[tuple[str, str], tuple[float, float]] = {}
    stats: dict[str, dict[str, Any]] = {}
    failures: dict[tuple[str, str], str] = {}
    for name in ("k8s typecheck, 2-wide", "engine, typecheck"):
        gocache = work / module.name / name.split(",")[0].replace(" ", "-")
        shutil.rmtree(gocache, ignore_errors=True)
        gocache.mkdir(parents=True)
        env = {**base_env, "GOCACHE": str(gocache)}
        for cache in ("cold", "warm"):
            print(f"  {name} ({cache}) ...", end="", flush=True)
            if name.startswith("k8s"):
                secs, peak, failed = baseline_run(baseline, module, targets, env)
            else:
                secs, peak, stats[cache], failed = engine_run(
                    engine, tc, module, targets, env=env, work=work, memory=memory)
            print(f" {secs:.1f}s{f' (FAILED: {failed})' if failed else ''}", flush=True)
            timings[(name, cache)] = (secs, peak)
            if failed:
                failures[(name, cache)] = failed
    for (name, cache), (secs, peak) in timings.items():
        k8s = timings[("k8s typecheck, 2-wide", cache)][0]
        row = [name, cache, f"{secs:.2f}", f"{k8s / max(secs, 1e-9):.1f}x", f"{peak:.0f}",
               "FAILED" if (name, cache) in failures else "ok"]
        st = stats.get(cache, {}) if name.startswith("engine") else {}
        row += [f"{st[k]:.1f}" if isinstance(st.get(k), float) else st.get(k, "")
                for k in STATS]
        rows.append(row)
    cold_k8s, cold_engine = timings[("k8s typecheck, 2-wide", "cold")], \
        timings[("engine, typecheck", "cold")]
    speed = cold_k8s[0] / max(cold_engine[0], 1e-9)
    table = [f"## {module} ({len(targets)} targets)", "",
             tabulate(rows, headers=["run", "cache", "seconds", "vs k8s 2-wide", "peak MB",
                                     "result", *STATS], tablefmt="github"), ""]
    if failures:  # a run that checked nothing is no measurement: no bar is met or missed
        return "\n".join([*table, *(f"not measured: {name} ({cache}): {why}"
                                     for (name, cache), why in failures.items())])
    return "\n".join([*table,
        f"bar: cold >= 3x faster than k8s typecheck 2-wide: {speed:.1f}x -> "
        f"{'met' if speed >= 3 else 'NOT met'}",
        f"bar: cold peak RSS <= the baseline's: {cold_engine[1]:.0f} MB vs {cold_k8s[1]:.0f} MB "
        f"-> {'met' if cold_engine[1] <= cold_k8s[1] else 'NOT met'} (the engine's budget: "
        f"{memory} MB; it collects on reaching it, or at twice its live heap if that is more)",
        f"sharing: {stats['cold'].get('nodes')} nodes, {stats['cold'].get('entries')} entries, "
        f"{stats['cold'].get('checked_full')} full (main-module) checks",
    ])


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("modules", nargs="+", help="module directories to measure")
    ap.add_argument("--targets", default=TARGETS)
    ap.add_argument("--memory", type=int, default=DEFAULT_TYPECHECK_MEMORY,
                    help=f"the engine's memory budget, MB (default {DEFAULT_TYPECHECK_MEMORY})")
    ap.add_argument("--go-work", help="a go.work for every run (GOWORK); default: off")
    args = ap.parse_args(argv)
    targets = [t for t in args.targets.split(",") if t]
    base_env = bench_env(args.go_work)
    with tempfile.TemporaryDirectory(prefix="crossvet-scale-") as tmp:
        work = Path(tmp)
        tc, engine, baseline = prepare(base_env, work, targets)
        tables = []
        for m in args.modules:
            module = Path(m).resolve()
            print(f"{module}:")
            tables.append(bench_module(module, engine=engine, baseline=baseline, tc=tc,
                                       base_env=base_env, targets=targets, work=work,
                                       memory=args.memory))
        print("\n" + "\n\n".join(tables))
        print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
