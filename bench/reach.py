"""Reach by default (issue #25): what the claimed plan with dependency bodies costs, on the
module directories given (nothing is fetched here).

Each module's targets are its plan with no `--targets`: the `claimed` preset, planned through
matrix/ as `crossvet plan` plans it (pipeline.make_plan: the claims of its files and
workflows, equivalent targets merged). On those targets, in one invocation, each cold (an
empty GOCACHE, no result cache, the engine prebuilt):

  k8s typecheck, 2-wide     bench/k8stypecheck: `go list -deps -test` and go/types over every
                            package of one platform, bodies included (dependencies' too), two
                            platforms at a time
  typecheck                 the engine, `--checks typecheck`: dependency modules' bodies
                            checked on every target, the same work as the baseline's
  typecheck, deps as before the same with dependency modules checked as before #25
                            (declarations only: the request's no_dep_bodies, for measurement)
  default                   the engine with typecheck and vet, the real default
  default, deps as before   the same with no_dep_bodies (vet still checks the dependency
                            bodies its facts come from, as before #25)

then `crossvet check` itself twice with its result cache (the second run, nothing changed, is
the warm one: `--no-warm` leaves both out; `--warm-only` runs only these, the warm one
`--repeat` times, and judges the bar on the median). It prints wall time, peak memory (summed RSS of
every process a run started, each once: bench/typecheck_bench.tree_rss), the engine's
findings (of which in dependency modules) and the ratios the issue's bars are about:

  cold typecheck >= 3x faster than k8s typecheck 2-wide (the same work, side by side)
  cold default <= 1.5x the default with dependencies as before, on the same targets
  warm crossvet check <= 0.5 s

    python bench/reach.py --go-work path/to/go.work path/to/x/tools --no-warm
    python bench/reach.py path/to/x/sys
    python bench/reach.py --go-work path/to/bbolt.work path/to/bbolt
    python bench/reach.py --max-targets 2 /path/to/a/small/module      # a smoke run
    python bench/reach.py --warm-only --repeat 7 path/to/x/sys          # the warm bar only

`--go-work` is every run's GOWORK (a go.work that `use`s checkouts of the module's
dependencies), planning included; without it GOWORK is off. A run that loads none of the
module's packages for some target is marked FAILED with go list's reason, and no bar is judged
on it.
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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tabulate import tabulate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scale import baseline_run, unlisted  # noqa: E402
from bench.typecheck_bench import PeakRSS  # noqa: E402
from bench.vet_parity import bench_env, prepare  # noqa: E402
from checker import toolchain, typecheck  # noqa: E402
from checker.backends import open_backend  # noqa: E402
from checker.proc import ProcessGroup  # noqa: E402
from crossvet import pipeline, scope  # noqa: E402
from matrix.options import DEFAULT_TYPECHECK_MEMORY  # noqa: E402
from matrix.plan import Plan  # noqa: E402

K8S = "k8s typecheck, 2-wide"
TYPECHECK = "typecheck"
TYPECHECK_BEFORE = "typecheck, deps as before"
DEFAULT = "default"
DEFAULT_BEFORE = "default, deps as before"
ENGINE_RUNS = {  # name -> (vet, dependency bodies)
    TYPECHECK: (False, True), TYPECHECK_BEFORE: (False, False),
    DEFAULT: (True, True), DEFAULT_BEFORE: (True, False),
}
CLI_COLD, CLI_WARM = "crossvet check, first", "crossvet check, warm"


@dataclass(kw_only=True)
class Timing:
    name: str
    seconds: float = 0.0
    peak_mb: float = 0.0
    failed: str = ""  # why it is no measurement ("" when it is one)
    findings: int | None = None
    dep_findings: int | None = None
    stats: dict[str, Any] = field(default_factory=dict)


def claimed_plan(module: Path, env: Mapping[str, str], jobs: int) -> Plan:
    """The module's plan with no --targets (the claimed preset), as `crossvet plan` makes it."""
    flags = {"path": str(module), "targets": "claimed"}
    opts = scope.resolve_options(flags, env, jobs)
    opts, covered = scope.resolve_scope(opts, flags, env)
    with open_backend(opts, env, ProcessGroup()) as backend:
        covered = scope.probe_modules(covered, opts, backend)
        return pipeline.make_plan(opts, backend, scope=covered)


def fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def engine_run(name: str, engine: str, tc: toolchain.Toolchain, module: Path, plan: Plan, *,
               env: dict[str, str], work: Path, memory: int) -> Timing:
    """One cold engine run over the plan's jobs, as `crossvet check` sends them (2 wide)."""
    vet, dep_bodies = ENGINE_RUNS[name]
    settings = typecheck.Settings(memory_mb=memory, result_cache=False, dep_bodies=dep_bodies)
    req = typecheck.request(plan.jobs, go=tc.go, module_dir=str(module),
                            packages=plan.packages, width=2, results_dir="", goroot=tc.goroot,
                            settings=settings, vet=vet)
    path = work / "request.json"
    path.write_text(json.dumps(req))
    with PeakRSS() as rss:
        start = time.monotonic()
        res = subprocess.run([engine, str(path)], cwd=module, env=env, capture_output=True,
                             text=True, check=False)
        seconds = time.monotonic() - start
    if res.returncode != 0:
        return Timing(name=name, seconds=seconds, peak_mb=rss.peak / 2**20,
                      failed=f"engine exit {res.returncode}: {res.stderr.strip()[-300:]}")
    answer = typecheck.answer_of(res.stdout)
    targets = answer.get("targets") or []
    diags = [d for t in targets for d in t.get("diagnostics") or ()]
    return Timing(name=name, seconds=seconds, peak_mb=rss.peak / 2**20,
                  failed=unlisted(targets), findings=len(diags),
                  dep_findings=sum(1 for d in diags if d.get("dep")),
                  stats=answer.get("stats") or {})


def cli_run(name: str, module: Path, env: dict[str, str], out: Path, memory: int) -> Timing:
    """`crossvet check` in the module's directory with no --targets (its result cache on), its
    modules' bytecode written and read as an installed crossvet's is: with
    PYTHONDONTWRITEBYTECODE set (as on the development machine) every run compiled crossvet's
    modules again, ~0.3 s of a warm run that no installed crossvet pays."""
    env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with PeakRSS() as rss:
        start = time.monotonic()
        res = subprocess.run([sys.executable, "-m", "crossvet", "check",
                              "--jobs", "2", "--typecheck-memory", str(memory),
                              "--json", str(out)],
                             cwd=module, env=env, capture_output=True, text=True, check=False)
        seconds = time.monotonic() - start
    failed = "" if res.returncode in (0, 1) and out.exists() else \
        f"exit {res.returncode}: {(res.stdout + res.stderr).strip()[-300:]}"
    findings = None if failed else len(json.loads(out.read_text()).get("findings", []))
    return Timing(name=name, seconds=seconds, peak_mb=rss.peak / 2**20, failed=failed,
                  findings=findings)


def bench_module(module: Path, plan: Plan, *, engine: str, baseline: str,
                 tc: toolchain.Toolchain, base_env: dict[str, str], work: Path, memory: int,
                 warm: bool, cold: bool = True, repeat: int = 1) -> list[Timing]:
    targets = [j.target.platform for j in plan.jobs]
    runs: list[Timing] = []

    def say(t: Timing) -> Timing:
        print(f" {t.seconds:.1f}s{f' (FAILED: {t.failed})' if t.failed else ''}", flush=True)
        runs.append(t)
        return t

    for name in (K8S, *ENGINE_RUNS) if cold else ():
        print(f"  {name} (cold) ...", end="", flush=True)
        env = {**base_env, "GOCACHE": str(fresh(work / module.name / "gocache"))}
        if name == K8S:
            secs, peak, failed = baseline_run(baseline, module, targets, env)
            say(Timing(name=name, seconds=secs, peak_mb=peak, failed=failed))
        else:
            say(engine_run(name, engine, tc, module, plan, env=env, work=work, memory=memory))
    if warm:
        env = {**base_env, "GOCACHE": str(fresh(work / module.name / "gocache")),
               "CROSSVET_ENGINE": engine,
               "CROSSVET_CACHE_DIR": str(fresh(work / module.name / "crossvet-cache"))}
        out = fresh(work / module.name / "results") / "results.json"
        print(f"  {CLI_COLD} ...", end="", flush=True)
        say(cli_run(CLI_COLD, module, env, out, memory))
        warm_runs = []
        for _ in range(max(1, repeat)):
            print(f"  {CLI_WARM} (load average {os.getloadavg()[0]:.1f}) ...", end="",
                  flush=True)
            warm_runs.append(cli_run(CLI_WARM, module, env, out, memory))
            print(f" {warm_runs[-1].seconds:.2f}s", flush=True)
        runs.append(median_run(warm_runs))
    return runs


def median_run(runs: Sequence[Timing]) -> Timing:
    """The median of repeated runs by time (a failed one, if any, so that it is seen)."""
    failed = [r for r in runs if r.failed]
    if failed:
        return failed[0]
    ordered = sorted(runs, key=lambda r: r.seconds)
    mid = ordered[len(ordered) // 2]
    if len(runs) > 1:
        times = ", ".join(f"{r.seconds:.2f}" for r in runs)
        mid = replace(mid, name=f"{mid.name} (median of {len(runs)}: {times})")
    return mid


def _ratio(a: Timing | None, b: Timing | None) -> float | None:
    if a is None or b is None or a.failed or b.failed:
        return None
    return a.seconds / max(b.seconds, 1e-9)


def render(module: Path, plan: Plan, runs: Sequence[Timing]) -> str:
    by = {r.name: r for r in runs}
    rows = []
    for r in runs:
        vs = _ratio(by.get(K8S), r) if r.name in ENGINE_RUNS else None
        st = r.stats
        rows.append([r.name, f"{r.seconds:.2f}", "" if vs is None else f"{vs:.1f}x",
                     f"{r.peak_mb:.0f}", "FAILED" if r.failed else "ok",
                     "" if r.findings is None else r.findings,
                     "" if r.dep_findings is None else r.dep_findings,
                     st.get("entries", ""), st.get("checked", ""),
                     f"{st['check_seconds']:.1f}" if "check_seconds" in st else ""])
    targets = ", ".join(j.name for j in plan.jobs)
    out = [f"## {module} ({len(plan.jobs)} targets: {targets})", "",
           tabulate(rows, headers=["run", "seconds", "k8s 2-wide / this", "peak MB", "result",
                                   "findings", "in deps", "entries", "checked", "check s"],
                    tablefmt="github"), ""]
    speed = _ratio(by.get(K8S), by.get(TYPECHECK))
    out.append("bar: cold typecheck (dependency bodies) >= 3x faster than k8s typecheck "
               "2-wide: " + ("not measured" if speed is None else
                             f"{speed:.1f}x -> {'met' if speed >= 3 else 'NOT met'}"))
    for now, before in ((DEFAULT, DEFAULT_BEFORE), (TYPECHECK, TYPECHECK_BEFORE)):
        cost = _ratio(by.get(now), by.get(before))
        text = "not measured" if cost is None else \
            f"{cost:.2f}x -> {'met' if cost <= 1.5 else 'NOT met'}"
        out.append(f"bar: cold {now} <= 1.5x {before}: {text}")
    warm = next((r for r in runs if r.name.startswith(CLI_WARM)), None)
    if warm is not None:
        out.append("bar: warm crossvet check <= 0.5 s: " + (
            f"not measured ({warm.failed})" if warm.failed else
            f"{warm.seconds:.2f} s -> {'met' if warm.seconds <= 0.5 else 'NOT met'}"))
    for r in runs:
        if r.failed:
            out.append(f"not measured: {r.name}: {r.failed}")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("modules", nargs="+", help="module directories to measure")
    ap.add_argument("--go-work", help="a go.work for every run (GOWORK); default: off")
    ap.add_argument("--memory", type=int, default=DEFAULT_TYPECHECK_MEMORY,
                    help=f"the engine's memory budget, MB (default {DEFAULT_TYPECHECK_MEMORY})")
    ap.add_argument("--no-warm", action="store_true",
                    help="leave out the two `crossvet check` runs (the warm bar)")
    ap.add_argument("--warm-only", action="store_true",
                    help="only the two `crossvet check` runs (no cold engine runs)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="time the warm run N times and judge the bar on the median")
    ap.add_argument("--max-targets", type=int, default=0,
                    help="only the plan's first N targets (a smoke run; 0: all)")
    args = ap.parse_args(argv)
    base_env = bench_env(args.go_work)
    with tempfile.TemporaryDirectory(prefix="crossvet-reach-") as tmp:
        work = Path(tmp)
        plans = {}
        for m in args.modules:
            module = Path(m).resolve()
            plan = claimed_plan(module, base_env, 2)
            if args.max_targets:
                plan = replace(plan, jobs=plan.jobs[:args.max_targets], merged=())
            plans[module] = plan
        tc, engine, baseline = prepare(base_env, work, [j.name for p in plans.values()
                                                        for j in p.jobs])
        tables = []
        for module, plan in plans.items():
            print(f"{module}: {len(plan.jobs)} targets; load average "
                  f"{os.getloadavg()[0]:.1f}")
            runs = bench_module(module, plan, engine=engine, baseline=baseline, tc=tc,
                                base_env=base_env, work=work, memory=args.memory,
                                warm=not args.no_warm and not args.max_targets,
                                cold=not args.warm_only, repeat=args.repeat)
            tables.append(render(module, plan, runs))
        print("\n" + "\n\n".join(tables))
        print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
