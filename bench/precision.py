"""How many of typecheck's findings would a maintainer keep? Counts and a sample to classify.

For each module directory given, runs

    crossvet check <dir> --checks typecheck --narrowing warning --targets ... [--narrowing-level L]

once per narrowing level asked for (`default` passes no level flag, so the script also runs
against a crossvet that has none), and prints, per module and level, the number of findings
per category and the number of narrowing warnings per shape (`from -> to`, as the message
words the types). It then writes a seeded random sample of narrowing warnings per module (20 by
default, from the last level's run) with the source line of each, for a person to classify
as a genuine 32-bit-only truncation risk or not.

    python bench/precision.py /path/to/module [/path/to/other ...] --level default --level all
    GOWORK=/path/to/go.work python bench/precision.py /path/to/module   # workspace dependencies

The environment is passed through (GOWORK, GOFLAGS, GOPROXY=off ...); module directories are
measurement input and are never written to. Run it with PYTHONPATH pointing at the crossvet
checkout to measure (`PYTHONPATH=/path/to/checkout python bench/precision.py ...`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tabulate import tabulate

TARGETS = "linux/amd64,linux/386,linux/arm,windows/386"
SHAPE_RX = re.compile(r": (\S+) to (\S+) loses bits")


@dataclass(frozen=True, kw_only=True)
class Run:
    module: str
    level: str
    findings: tuple[dict[str, Any], ...]
    error: str


def run_crossvet(module: Path, level: str, targets: str, jobs: int) -> Run:
    """One `crossvet check --checks typecheck` run; its findings from the results JSON."""
    with tempfile.TemporaryDirectory(prefix="crossvet-precision-") as tmp:
        out = Path(tmp) / "results.json"
        cmd = [sys.executable, "-m", "crossvet", "check", str(module), "--checks", "typecheck",
               "--narrowing", "warning", "--targets", targets, "--jobs", str(jobs),
               "--json", str(out)]
        if level != "default":
            cmd += ["--narrowing-level", level]
        res = subprocess.run(cmd, check=False, capture_output=True, text=True)
        if not out.exists():
            return Run(module=str(module), level=level, findings=(),
                       error=(res.stderr or res.stdout).strip()[-500:])
        data = json.loads(out.read_text())
    errors = [f"{t['id']}: {c['error']}" for t in data.get("targets", [])
              for c in t.get("checks", []) if c.get("error")]
    return Run(module=str(module), level=level, findings=tuple(data.get("findings", [])),
               error="; ".join(errors)[:500])


def shape(finding: dict[str, Any]) -> str:
    m = SHAPE_RX.search(str(finding.get("message", "")))
    return f"{m.group(1)} -> {m.group(2)}" if m else "?"


def narrowing(run: Run) -> list[dict[str, Any]]:
    return [f for f in run.findings if f.get("category") == "narrowing"]


def table(runs: Sequence[Run]) -> str:
    categories = sorted({str(f.get("category")) for r in runs for f in r.findings})
    rows = []
    for r in runs:
        counts = Counter(str(f.get("category")) for f in r.findings)
        rows.append([Path(r.module).name, r.level, len(r.findings),
                     *(counts.get(c, 0) for c in categories), r.error[:60]])
    return tabulate(rows, headers=["module", "level", "findings", *categories, "errors"])


def shapes(runs: Sequence[Run]) -> str:
    names = sorted({shape(f) for r in runs for f in narrowing(r)})
    rows = [[name, *(sum(1 for f in narrowing(r) if shape(f) == name) for r in runs)]
            for name in names]
    headers = ["narrowing shape", *(f"{Path(r.module).name}/{r.level}" for r in runs)]
    return tabulate(rows, headers=headers)


def source_line(module: Path, finding: dict[str, Any]) -> str:
    try:
        lines = (module / str(finding["file"])).read_text(errors="replace").splitlines()
        return lines[int(finding["line"]) - 1].strip()
    except (OSError, IndexError, KeyError, ValueError):
        return ""


def sample(run: Run, size: int, seed: int) -> str:
    found = sorted(narrowing(run), key=lambda f: (f["file"], f["line"], f["col"]))
    picked = random.Random(seed).sample(found, min(size, len(found)))
    picked.sort(key=lambda f: (f["file"], f["line"], f["col"]))
    out = [f"## {run.module} (level {run.level}): {len(picked)} of {len(found)} narrowing "
           f"warnings, seed {seed}", ""]
    for i, f in enumerate(picked, 1):
        out += [f"{i}. {f['file']}:{f['line']}:{f['col']}  {shape(f)}  "
                f"on {', '.join(f.get('targets', []))}",
                f"   `{source_line(Path(run.module), f)}`",
                "   verdict: genuine | bounded | same-width | other", ""]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("modules", nargs="+", help="module directories")
    ap.add_argument("--level", action="append", dest="levels",
                    help="narrowing level to run (`default`: no flag); repeat for several")
    ap.add_argument("--targets", default=TARGETS)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--sample-size", type=int, default=20)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--sample-file", default="precision-sample.md",
                    help="where the samples to classify are written")
    args = ap.parse_args(argv)
    levels = args.levels or ["default"]
    runs = [run_crossvet(Path(m).resolve(), level, args.targets, args.jobs)
            for m in args.modules for level in levels]
    print(table(runs))
    print()
    print(shapes(runs))
    samples = [sample(r, args.sample_size, args.seed) for r in runs if r.level == levels[-1]]
    Path(args.sample_file).write_text("\n".join(samples))
    print(f"\nwrote {args.sample_file}")
    return 1 if any(r.error for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
