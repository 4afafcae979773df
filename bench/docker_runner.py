"""How much the container runner costs over the local runner, on the same module and targets.

    python bench/docker_runner.py --image crossvet-test-go:1.27.3 [--module DIR] [--repeat 3]

Both runners get one warm-up run (caches filled), then `--repeat` timed runs each; the table
shows the median wall time and the ratio against the local runner measured in this invocation.
Containers run with `--download-network none`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tabulate import tabulate

ROOT = Path(__file__).resolve().parent.parent


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.monotonic()
    res = subprocess.run([sys.executable, "-m", "crossvet", "check", *argv], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=False)
    if res.returncode not in (0, 1):
        sys.exit(f"crossvet exited {res.returncode}:\n{res.stderr}{res.stdout[-2000:]}")
    return time.monotonic() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--image", required=True)
    ap.add_argument("--module", default=str(ROOT / "tests" / "fixtures" / "overflow"))
    ap.add_argument("--targets", default="linux/amd64,linux/386,linux/arm,windows/386")
    ap.add_argument("--jobs", default="2")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    env = {**os.environ, "GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": ""}
    common = [args.module, "--targets", args.targets, "--jobs", args.jobs]
    with tempfile.TemporaryDirectory() as tmp:
        runs = {
            "local": common,
            "docker": [*common, "--runner", "docker", "--image", args.image,
                       "--docker-cache", os.path.join(tmp, "cache"),
                       "--download-network", "none"],
        }
        times: dict[str, list[float]] = {}
        for name, argv in runs.items():
            timed(argv, env)  # warm-up: fills GOCACHE
            times[name] = [timed(argv, env) for _ in range(args.repeat)]
    base = statistics.median(times["local"])
    rows = [(name, f"{statistics.median(ts):.2f}s", f"{min(ts):.2f}s",
             f"{statistics.median(ts) / base:.1f}x") for name, ts in times.items()]
    n = len(args.targets.split(","))
    print(f"{Path(args.module).name}: {n} targets, --jobs {args.jobs}, {args.repeat} runs each")
    print(tabulate(rows, headers=["runner", "median", "best", "vs local"]))


if __name__ == "__main__":
    main()
