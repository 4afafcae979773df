"""What checking cgo with a C compiler per target costs (issue #23), on the module directories
given (nothing is fetched here).

For each module, in one invocation, `crossvet check` with the engine prebuilt (built once
by a warm-up run, then copied into each run's fresh cache directory):

  cgo off       `--cgo off`, a fresh cache: the baseline
  cgo, cold     the default `cgo: auto` (cgo on too where there is a C compiler), a fresh cache
                and so a fresh zig cache: every C compiler runs
  cgo, warm     the same again, nothing changed (the run cache answers)

It prints each run's wall time, its jobs (of which +cgo), its findings, the cold run's cache
sizes (zig's, cgo's outputs) and the ratio of cold cgo to the baseline, with the load average
before and after (two cores shared: numbers move with load).

    python bench/cgo_bench.py /work/src/go-sqlite3
    python bench/cgo_bench.py --targets linux/386,linux/arm64,windows/amd64 /work/src/go-sqlite3
    python bench/cgo_bench.py --go-work /path/to/go.work /work/src/notify
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def _check(module: str, cache: Path, env: dict[str, str], extra: list[str]) -> dict[str, object]:
    out = cache / "results.json"
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "crossvet", "check", module, "--json", str(out),
                           *extra], env={**env, "CROSSVET_CACHE_DIR": str(cache)},
                          capture_output=True, text=True, check=False)
    wall = time.monotonic() - t0
    if proc.returncode not in (0, 1) or not out.exists():
        return {"wall": wall, "failed": proc.stderr.strip()[-500:] or proc.stdout[-500:]}
    data = json.loads(out.read_text())
    jobs = [t["id"] for t in data["targets"]]
    return {"wall": wall, "jobs": len(jobs), "cgo_jobs": sum(j.endswith("+cgo") for j in jobs),
            "findings": len(data["findings"])}


def _fresh(base: Path, engine: Path, name: str) -> Path:
    cache = base / name
    cache.mkdir()
    shutil.copytree(engine, cache / "engine")
    return cache


def bench(module: str, env: dict[str, str], extra: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="crossvet-cgo-bench-") as tmp:
        base = Path(tmp)
        warmup = base / "warmup"
        _check(module, warmup, env, [*extra, "--cgo", "off"])  # builds the engine
        load0 = os.getloadavg()
        off = _check(module, _fresh(base, warmup / "engine", "off"), env, [*extra, "--cgo", "off"])
        auto = _fresh(base, warmup / "engine", "auto")
        cold = _check(module, auto, env, [*extra, "--cgo", "auto"])
        warm = _check(module, auto, env, [*extra, "--cgo", "auto"])
        load1 = os.getloadavg()
        zig = _du(auto / "zig")
        outs = sum(_du(d) for d in (auto / "typecheck").glob("*/cgo"))
    print(f"{module}  (load average {load0[0]:.1f} -> {load1[0]:.1f})")
    for name, run in (("cgo off", off), ("cgo, cold", cold), ("cgo, warm", warm)):
        if "failed" in run:
            print(f"  {name:10} FAILED after {run['wall']:.1f} s: {run['failed']}")
            continue
        print(f"  {name:10} {run['wall']:6.1f} s  {run['jobs']} jobs ({run['cgo_jobs']} +cgo), "
              f"{run['findings']} findings")
    print(f"  caches after the cold run: zig {_mb(zig)}, cgo outputs {_mb(outs)}")
    if "failed" not in off and "failed" not in cold:
        print(f"  cold cgo / cgo off: {float(str(cold['wall'])) / float(str(off['wall'])):.1f}x")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("modules", nargs="+", help="module directories")
    ap.add_argument("--targets", default="", help="target selectors (default: claimed)")
    ap.add_argument("--go-work", default="", help="GOWORK for every run (default: off)")
    args = ap.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CROSSVET_", "ZIG_"))}
    env.update(GOWORK=args.go_work or "off", PYTHONPATH=str(ROOT))
    extra = ["--targets", args.targets] if args.targets else []
    for module in args.modules:
        bench(os.path.abspath(module), env, extra)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
