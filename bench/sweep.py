"""What every port costs the engine (issue #27): a target-count sweep on the module
directories given (nothing is fetched here).

For each module, in one invocation, each run cold (an empty GOCACHE, no result cache, the
engine prebuilt), with the default checks (typecheck and vet) unless `--checks` says otherwise:

  1        linux/amd64
  8        the first-class ports (`go tool dist list`)
  11       bench/vet_parity.TARGETS
  all      every port but android/* and ios/* (they refuse a module with a main package
           without cgo)

and the Kubernetes-style typecheck (bench/k8stypecheck, 2-wide, dependency bodies included) on
the 11. Printed per count: wall seconds, the ratio to one target and to 11, the peak memory
(summed RSS of every process, each counted once) against the budget, and the engine's stats
(full checks, entries checked, dependency entries, results shared by use, targets listed from
the first listing, its own peak, and the collector's: collections, their CPU, the largest live
heap after one). `own_keys` is the fewest full checks sharing by use can
reach (distinct main-module results once the imports are left out of their keys); a
`checked_full` above it counts the results checked again because what they use of their
imports differs between targets.

With `--compare`, every count also runs with sharing off (`no_share`: every target checked
alone in the same process) and the findings of the two must be equal; a difference is printed
and the script exits 1.

With `--std-store`, every count also runs with an empty cache directory (the result caches on:
the run writes the standard library's store, stdstore.go) and then with only that store kept
(the result and run caches removed): a run on a machine whose store is warm, as the Action
restores it. Their findings must equal the first run's.

    python bench/sweep.py /path/to/x/sys
    python bench/sweep.py --go-work /path/to/go.work /path/to/x/tools --counts 1,11,all
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

from bench.scale import baseline_run, unlisted  # noqa: E402
from bench.typecheck_bench import PeakRSS  # noqa: E402
from bench.vet_parity import TARGETS, bench_env, prepare  # noqa: E402
from checker import toolchain, typecheck  # noqa: E402
from matrix.options import DEFAULT_TYPECHECK_MEMORY  # noqa: E402
from matrix.plan import Job  # noqa: E402
from matrix.targets import Target, parse_dist_list  # noqa: E402

STATS = ("checked_full", "own_keys", "vet_passes", "shared_by_use", "from_test_variant",
         "checked", "checked_deps",
         "entries",
         "full_cpu_seconds", "vet_cpu_seconds", "decl_cpu_seconds", "parse_cpu_seconds",
         "list_seconds", "listed_from_reference", "std_decl_errors", "peak_rss_mb",
         "gc_cycles", "gc_cpu_seconds", "live_peak_mb")
Finding = tuple[str, str, int, int, str, str]  # target, file, line, col, kind, message
# An engine run: seconds, peak MB, stats, findings, why it is no measurement ("": it is one).
Run = tuple[float, float, dict[str, Any], set[Finding], str]


def stat_text(stats: dict[str, Any], key: str) -> str:
    """A stat as the table shows it: seconds to hundredths, other numbers whole."""
    value = stats.get(key, "")
    if isinstance(value, float):
        return f"{value:.2f}" if key.endswith("_seconds") else f"{value:.0f}"
    return str(value)


def target_sets(go: str, env: dict[str, str], counts: Sequence[str]) -> dict[str, list[str]]:
    out = subprocess.run([go, "tool", "dist", "list", "-json"], env=env, check=True,
                         capture_output=True, text=True).stdout
    ports = parse_dist_list(out)
    every = [p.id for p in ports if p.goos not in ("android", "ios")]
    named = {"1": ["linux/amd64"], "8": [p.id for p in ports if p.first_class],
             "11": TARGETS.split(","), "all": every}
    unknown = [c for c in counts if c not in named]
    if unknown:
        raise SystemExit(f"--counts: unknown {', '.join(unknown)} (known: {', '.join(named)})")
    return {c: named[c] for c in counts}


def engine_run(engine: str, tc: toolchain.Toolchain, module: Path, targets: Sequence[str], *,
               env: dict[str, str], work: Path, memory: int, checks: tuple[str, ...],
               share: bool, cache_dir: Path | None = None) -> Run:
    """One engine run with an empty GOCACHE: (seconds, peak MB, stats, findings, why it is no
    measurement). With cache_dir the result caches and the standard library's store are read
    and kept there (else there are none: a cold run)."""
    gocache = work / "gocache"
    shutil.rmtree(gocache, ignore_errors=True)
    gocache.mkdir(parents=True)
    jobs = [Job(target=Target.parse(t), checks=checks) for t in targets]
    req = typecheck.request(jobs, go=tc.go, module_dir=str(module), packages=["./..."],
                            width=2, results_dir=str(cache_dir or ""), goroot=tc.goroot,
                            vet="vet" in checks,
                            settings=typecheck.Settings(memory_mb=memory,
                                                        result_cache=cache_dir is not None,
                                                        share=share))
    path = work / "request.json"
    path.write_text(json.dumps(req))
    with PeakRSS() as rss:
        start = time.monotonic()
        res = subprocess.run([engine, str(path)], cwd=module, capture_output=True, text=True,
                             env={**env, "GOCACHE": str(gocache)}, check=False)
        seconds = time.monotonic() - start
    if res.returncode != 0:
        raise SystemExit(f"engine failed on {module}: {res.stderr[-2000:]}")
    answer = typecheck.answer_of(res.stdout)
    found: set[Finding] = set()
    for t in answer.get("targets") or []:
        for d in t.get("diagnostics") or []:
            found.add((t.get("name", ""), d.get("file", ""), int(d.get("line", 0)),
                       int(d.get("col", 0)), d.get("kind", ""), d.get("message", "")))
    return seconds, rss.peak / 2**20, answer.get("stats") or {}, found, \
        unlisted(answer.get("targets") or [])


def median_run(runs: Sequence[Run]) -> tuple[Run, str]:
    """The run of median seconds (of an even number, the lower of the two middle ones), and
    every run's seconds in the order run, for the table."""
    ordered = sorted(runs, key=lambda r: r[0])
    return ordered[(len(ordered) - 1) // 2], " ".join(f"{r[0]:.2f}" for r in runs)


def sweep_module(module: Path, *, engine: str, baseline: str, tc: toolchain.Toolchain,
                 env: dict[str, str], sets: dict[str, list[str]], work: Path, memory: int,
                 checks: tuple[str, ...], compare: bool, std_store: bool = False,
                 reps: int = 1) -> tuple[str, bool]:
    """The module's table and whether every comparison of findings held. With reps, each
    count runs that many times with sharing on, and the median run is the count's (its peak
    the largest of any round's)."""
    rows: list[list[Any]] = []
    seconds: dict[str, float] = {}
    warm: dict[str, float] = {}
    same = True
    notes: list[str] = []
    # The runs with sharing on, every count once per round (1, 11, all, 1, 11, all, ...): a
    # change in the machine's speed during the sweep touches every count alike.
    runs: dict[str, list[Run]] = {count: [] for count in sets}
    for rep in range(reps):
        for count, targets in sets.items():
            runs[count].append(engine_run(
                engine, tc, module, targets, env=env, work=work, memory=memory, checks=checks,
                share=True))
            if reps > 1:
                print(f"  round {rep + 1}/{reps}, {count}: {runs[count][-1][0]:.2f}s", flush=True)
    for count, targets in sets.items():
        print(f"  {count} ({len(targets)} targets) ...", end="", flush=True)
        (secs, _, stats, found, failed), spread = median_run(runs[count])
        peak = max(run[1] for run in runs[count])  # the budget holds in every round, or not
        seconds[count] = secs
        print(f" {secs:.2f}s{f' (FAILED: {failed})' if failed else ''}", end="", flush=True)
        for run in runs[count]:
            if run[3] != found:
                same = False
                notes.append(f"  {count}: findings differ between rounds: "
                             f"{len(run[3] - found)} more, {len(found - run[3])} fewer")
        verdict = ""
        if compare:
            alone_secs, _, _, alone, _ = engine_run(
                engine, tc, module, targets, env=env, work=work, memory=memory, checks=checks,
                share=False)
            print(f", sharing off {alone_secs:.2f}s", end="", flush=True)
            verdict = "same" if alone == found else "DIFFERENT"
            if alone != found:
                same = False
                for f in sorted(found - alone)[:10]:
                    notes.append(f"  {count}: only with sharing: {f}")
                for f in sorted(alone - found)[:10]:
                    notes.append(f"  {count}: only without sharing: {f}")
        store_cols: list[Any] = []
        if std_store:
            cache = work / "cache"
            shutil.rmtree(cache, ignore_errors=True)
            cold_secs, _, cold_stats, cold, _ = engine_run(
                engine, tc, module, targets, env=env, work=work, memory=memory, checks=checks,
                share=True, cache_dir=cache)
            for p in cache.iterdir():  # keep only the store
                if p.name != "std":
                    shutil.rmtree(p) if p.is_dir() else p.unlink()
            warm_secs, warm_peak, warm_stats, warmed, _ = engine_run(
                engine, tc, module, targets, env=env, work=work, memory=memory, checks=checks,
                share=True, cache_dir=cache)
            warm[count] = warm_secs
            print(f", empty cache dir {cold_secs:.2f}s, store warm {warm_secs:.2f}s", end="",
                  flush=True)
            for name, other in (("empty cache dir", cold), ("store warm", warmed)):
                if other != found:
                    same = False
                    notes.append(f"  {count}: findings differ with {name}: "
                                 f"{len(other - found)} more, {len(found - other)} fewer")
            store_cols = [f"{cold_secs:.2f}", f"{warm_secs:.2f}", "", "", f"{warm_peak:.0f}",
                          f"{cold_stats.get('std_store_writes', '')}/"
                          f"{warm_stats.get('std_store_hits', '')}"]
        print(flush=True)
        rows.append([count, len(targets), f"{secs:.2f}", "", "", *store_cols, spread,
                     f"{peak:.0f}",
                     "ok" if peak <= memory else "OVER", len(found), verdict,
                     *(stat_text(stats, k) for k in STATS)])
        if failed:
            notes.append(f"  {count}: not measured: {failed}")
    one, eleven = seconds.get("1"), seconds.get("11")
    for row in rows:
        secs = seconds[row[0]]
        row[3] = f"{secs / one:.2f}x" if one else ""
        row[4] = f"{secs / eleven:.2f}x" if eleven else ""
        if std_store:
            secs, one_w, eleven_w = float(row[6]), warm.get("1"), warm.get("11")
            row[7] = f"{secs / one_w:.2f}x" if one_w else ""
            row[8] = f"{secs / eleven_w:.2f}x" if eleven_w else ""
    k8s = ""
    if "11" in sets:
        gocache = work / "gocache-k8s"
        shutil.rmtree(gocache, ignore_errors=True)
        gocache.mkdir(parents=True)
        print("  k8s typecheck, 2-wide (11) ...", end="", flush=True)
        k8s_secs, k8s_peak, failed = baseline_run(baseline, module, sets["11"],
                                                  {**env, "GOCACHE": str(gocache)})
        print(f" {k8s_secs:.1f}s", flush=True)
        k8s = (f"k8s typecheck 2-wide, 11 targets: {k8s_secs:.1f} s, {k8s_peak:.0f} MB"
               f"{f' (FAILED: {failed})' if failed else ''}")
        if "all" in seconds:
            k8s += (f"; every port / k8s at 11: {seconds['all'] / k8s_secs:.2f}x "
                    f"(goal: below 1)")
    store_heads = ["empty cache dir", "store warm", "warm vs 1", "warm vs 11", "warm peak MB",
                   "std written/read"] if std_store else []
    headers = ["count", "targets", "seconds", "vs 1", "vs 11", *store_heads, "every round",
               "peak MB",
               f"budget {memory}", "findings", "sharing off", *STATS]
    table = [f"## {module} ({', '.join(checks)})", "",
             tabulate(rows, headers=headers, tablefmt="github"), ""]
    if k8s:
        table.append(k8s)
    return "\n".join([*table, *notes]), same


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("modules", nargs="+", help="module directories to measure")
    ap.add_argument("--counts", default="1,8,11,all",
                    help="target sets to run, from 1, 8, 11, all (default: all four)")
    ap.add_argument("--checks", default="typecheck,vet", help="engine checks (default: both)")
    ap.add_argument("--memory", type=int, default=DEFAULT_TYPECHECK_MEMORY,
                    help=f"the engine's memory budget, MB (default {DEFAULT_TYPECHECK_MEMORY})")
    ap.add_argument("--go-work", help="a go.work for every run (GOWORK); default: off")
    ap.add_argument("--compare", action="store_true",
                    help="also run each count with sharing off and compare the findings")
    ap.add_argument("--reps", type=int, default=1,
                    help="run each count this many times with sharing on, the counts in turn, "
                         "and report the median run (default 1)")
    ap.add_argument("--std-store", action="store_true",
                    help="also run each count with an empty cache directory, then with only "
                         "the standard library's store warm")
    args = ap.parse_args(argv)
    if args.reps < 1:
        ap.error("--reps must be at least 1")
    checks = tuple(c for c in args.checks.split(",") if c)
    env = bench_env(args.go_work)
    with tempfile.TemporaryDirectory(prefix="crossvet-sweep-") as tmp:
        work = Path(tmp)
        tc, engine, baseline = prepare(env, work, TARGETS.split(","))
        sets = target_sets(tc.go, env, [c for c in args.counts.split(",") if c])
        tables, same = [], True
        for m in args.modules:
            module = Path(m).resolve()
            print(f"{module}:")
            table, ok = sweep_module(module, engine=engine, baseline=baseline, tc=tc, env=env,
                                     sets=sets, work=work, memory=args.memory, checks=checks,
                                     compare=args.compare, std_store=args.std_store,
                                     reps=args.reps)
            tables.append(table)
            same = same and ok
        print("\n" + "\n\n".join(tables))
        print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
