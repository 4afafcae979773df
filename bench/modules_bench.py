"""Benchmark a run of several modules against a run of one (issue #15).

    python bench/modules_bench.py WORKSPACE_ROOT LARGEST_MODULE_DIR [--targets T] [--repeat N]

Times, alternately and `--repeat` times each, with the same targets and the result cache off:

  workspace   crossvet check WORKSPACE_ROOT --checks typecheck  (every module, one engine)
  largest     crossvet check LARGEST_MODULE_DIR --checks typecheck  (that module alone)

after one untimed run of each (so go's build cache and the engine binary are warm for both).
Prints each run's median wall time and the ratio workspace / largest: the goal is < 1.5, which
holds only when the modules share the standard library's type information in one process.
The module directories are arguments: nothing is fetched here.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = "linux/amd64,linux/386,windows/386"


def once(path: str, targets: str) -> float:
    argv = [sys.executable, "-m", "crossvet", "check", path, "--checks", "typecheck",
            "--targets", targets, "--no-typecheck-cache"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.monotonic()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    took = time.monotonic() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv)} exited {proc.returncode}:\n{proc.stdout}{proc.stderr}")
    return took


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("workspace")
    p.add_argument("largest")
    p.add_argument("--targets", default=TARGETS)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    runs: dict[str, list[float]] = {"workspace": [], "largest": []}
    paths = {"workspace": args.workspace, "largest": args.largest}
    for path in paths.values():  # warm go's caches and the engine build
        once(path, args.targets)
    for _ in range(args.repeat):
        for name, path in paths.items():
            runs[name].append(once(path, args.targets))
    med = {name: statistics.median(t) for name, t in runs.items()}
    for name, times in runs.items():
        print(f"{name:<10} median {med[name]:6.2f}s  runs {', '.join(f'{t:.2f}' for t in times)}"
              f"  ({paths[name]})")
    print(f"ratio workspace / largest: {med['workspace'] / med['largest']:.2f} (goal < 1.5)")


if __name__ == "__main__":
    main()
