"""`analyzers:` (docs/lint.md) against running the same analyzers target by target.

For each module directory given (nothing is fetched here: the modules are arguments), over the
same targets, in one invocation, cold (empty GOCACHE; for crossvet an empty result cache too,
its engine with the analyzers built before the timings, and kept in the scratch directory
for the next invocation):

  baseline loop, sequential   GOOS=.. GOARCH=.. BASELINE ./...   one target after another
  crossvet --analyzers        crossvet check --checks vet --analyzers PKG (all targets)

BASELINE is a binary that runs the same analyzers on one build configuration and prints
diagnostics: `staticcheck` (--baseline-format staticcheck: its `-f json` lines; pass
`--baseline-args "-checks SA*"` to keep to the staticcheck package's checks), or a
go/analysis multichecker of the same analyzers (--baseline-format analysis: its `-json`).
Build it yourself from the analyzers' source, in a temporary directory.

It then compares the findings per target: crossvet's (after its merge rules) with the
baseline's, and lists what only one side found; a finding only the baseline has, that is
missing on some other target the baseline reported its file on, is counted as dropped by a
merge rule `all` (crossvet reports it nowhere), the rest as differences.

    python bench/lint_bench.py --baseline /tmp/scmc --go-work /path/go.work MODULE_DIR...

--typecheck-memory MB (repeated) runs crossvet once per budget, cold each time, against the
one baseline loop.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.typecheck_bench import PeakRSS  # noqa: E402
from bench.vet_parity import TARGETS, bench_env  # noqa: E402
from checker import lint_build, toolchain  # noqa: E402
from matrix import lint  # noqa: E402

Key = tuple[str, int, int, str, str]  # file, line, col, message, analyzer
Found = dict[str, set[Key]]  # target -> its findings


def _rel(module: Path, file: str) -> str:
    try:
        return str(Path(file).resolve().relative_to(module.resolve()))
    except ValueError:
        return file


def _posn(text: str) -> tuple[str, int, int]:
    parts = [*text.rsplit(":", 2), "0", "0"][:3]
    return parts[0], int(parts[1] or 0), int(parts[2] or 0)


def parse_baseline(out: str, fmt: str, module: Path) -> set[Key]:
    found: set[Key] = set()
    if fmt == "staticcheck":
        for raw in out.splitlines():
            if not raw.startswith("{"):
                continue
            d = json.loads(raw)
            loc = d.get("location") or {}
            if d.get("severity") == "error" and d.get("code") == "compile":
                continue
            found.add((_rel(module, loc.get("file", "")), int(loc.get("line", 0)),
                       int(loc.get("column", 0)), d.get("message", "").strip(),
                       d.get("code", "")))
        return found
    dec, i, text = json.JSONDecoder(), 0, out.strip()
    while i < len(text):
        if text[i] != "{":
            i = text.find("\n{", i)
            if i < 0:
                break
            i += 1
            continue
        obj, i = dec.raw_decode(text, i)
        for analyzers in obj.values():
            for name, diags in analyzers.items():
                if not isinstance(diags, list):
                    continue
                for diag in diags:
                    file, line, col = _posn(diag.get("posn", ""))
                    found.add((_rel(module, file), line, col,
                               diag.get("message", "").strip(), name))  # as crossvet does
        while i < len(text) and text[i].isspace():
            i += 1
    return found


def baseline_loop(binary: str, args: Sequence[str], module: Path, *, fmt: str,
                  env: dict[str, str], targets: Sequence[str]) -> tuple[float, float, Found]:
    found: Found = {}
    flag = ["-f", "json"] if fmt == "staticcheck" else ["-json"]
    with PeakRSS() as rss:
        start = time.monotonic()
        for t in targets:
            goos, goarch = t.split("/")
            res = subprocess.run([binary, *flag, *args, "./..."], cwd=module, check=False,
                                 capture_output=True, text=True,
                                 env={**env, "GOOS": goos, "GOARCH": goarch,
                                      "CGO_ENABLED": "0"})
            found[t] = parse_baseline(res.stdout + "\n" + res.stderr, fmt, module)
            if res.returncode not in (0, 1, 3) and not found[t]:
                print(f"    baseline on {t}: exit {res.returncode}: {res.stderr[-600:]}",
                      file=sys.stderr)
        seconds = time.monotonic() - start
    return seconds, rss.peak / 2**20, found


def crossvet(module: Path, env: dict[str, str], targets: Sequence[str], analyzers: str,
             out: Path, *, memory: int | None = None) -> tuple[float, float, Found]:
    budget = ["--typecheck-memory", str(memory)] if memory else []
    with PeakRSS() as rss:
        start = time.monotonic()
        res = subprocess.run([sys.executable, "-m", "crossvet", "check", str(module),
                              "--checks", "vet", "--targets", ",".join(targets),
                              "--analyzers", analyzers, "--json", str(out), *budget],
                             check=False, cwd=ROOT, capture_output=True, text=True, env=env)
        seconds = time.monotonic() - start
    if res.returncode not in (0, 1) or not out.exists():
        print(f"    crossvet: {res.stdout[-1500:]}{res.stderr[-1500:]}", file=sys.stderr)
        return seconds, rss.peak / 2**20, {}
    found: Found = {t: set() for t in targets}
    for t in json.loads(out.read_text())["targets"]:
        for c in t["checks"]:
            for d in c["diagnostics"]:
                if d.get("category") == "lint":
                    found.setdefault(t["id"], set()).add(
                        (d.get("file", ""), int(d.get("line", 0)), int(d.get("col", 0)),
                         d.get("message", ""), d.get("analyzer", "")))
    return seconds, rss.peak / 2**20, found


def merge_rules(engine: str, go: str, module: Path, env: dict[str, str],
                entries: str) -> dict[str, str]:
    """Each analyzer's merge rule: what the engine lists (asked with no target), over which
    the entries' NAME=rule."""
    req = module.parent / f".{module.name}-lint-bench-request.json"
    req.write_text(json.dumps({"go": go, "module_dir": str(module), "targets": [],
                               "vet": True, "jobs": 1}))
    res = subprocess.run([engine, str(req)], check=False, capture_output=True, text=True,
                         env=env, cwd=module)
    req.unlink()
    lines = [ln for ln in res.stdout.splitlines() if ln.strip()]
    listed = json.loads(lines[-1]).get("lint") or [] if lines else []
    rules = {a["name"]: a.get("merge") or "any" for a in listed}
    rules.update(lint.merge_rules(entries.split(",")))
    return rules


def compare(base: Found, ours: Found,
            rules: dict[str, str]) -> tuple[int, list[str], list[str]]:
    """(findings in common, only the baseline's unexplained, only crossvet's), per target."""
    common, only_base, only_ours = 0, [], []
    files = {t: {k[0] for k in ks} for t, ks in base.items()}
    for t in base:
        common += len(base[t] & ours.get(t, set()))
        for k in sorted(base[t] - ours.get(t, set())):
            merged = rules.get(k[4]) == "all" and any(
                k not in base[o] and k[0] in files[o] for o in base if o != t)
            if not merged:
                only_base.append(f"{t}: {k[0]}:{k[1]}:{k[2]}: {k[4]}: {k[3]}")
        only_ours += [f"{t}: {k[0]}:{k[1]}:{k[2]}: {k[4]}: {k[3]}"
                      for k in sorted(ours.get(t, set()) - base[t])]
    return common, only_base, only_ours


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("modules", nargs="+", type=Path)
    ap.add_argument("--baseline", required=True, help="the per-target analyzer binary")
    ap.add_argument("--baseline-format", choices=("analysis", "staticcheck"),
                    default="analysis")
    ap.add_argument("--baseline-args", default="", help="more arguments for it")
    ap.add_argument("--analyzers", default="honnef.co/go/tools/staticcheck")
    ap.add_argument("--targets", default=TARGETS)
    ap.add_argument("--go-work", default=None, help="GOWORK for every run")
    ap.add_argument("--work", type=Path, default=None, help="scratch dir (default: a temp)")
    ap.add_argument("--typecheck-memory", type=int, action="append", default=None,
                    metavar="MB", help="crossvet's engine memory budget (default: crossvet's); "
                    "repeated, one cold crossvet run each against the same baseline loop")
    args = ap.parse_args(argv)
    targets = args.targets.split(",")
    base = bench_env(args.go_work)
    work = args.work or Path(os.environ.get("TMPDIR", "/tmp")) / "crossvet-lint-bench"
    tc = toolchain.find(base)
    for module in args.modules:
        d = work / module.name
        cache = d / "crossvet-cache"  # its engine/ is kept: cold is without typecheck/
        for old in ("gocache-baseline", "xdg-baseline", "gocache-crossvet", "results.json",
                    "crossvet-cache/typecheck"):
            shutil.rmtree(d / old, ignore_errors=True)
        (d / "results.json").unlink(missing_ok=True)
        d.mkdir(parents=True, exist_ok=True)
        start = time.monotonic()
        engine, _ = lint_build.ensure(tc, lint.packages(args.analyzers.split(",")),
                                      cache_dir=str(cache), module_dir=str(module),
                                      env={**base, "GOCACHE": str(d / "build-gocache")})
        rules = merge_rules(engine, tc.go, module, base, args.analyzers)
        print(f"## {module}: engine with {args.analyzers} built in "
              f"{time.monotonic() - start:.1f}s (not timed); {tc.version_text}; "
              f"{len(targets)} targets; load average {os.getloadavg()[0]:.1f}")
        b_sec, b_mb, b_found = baseline_loop(
            args.baseline, args.baseline_args.split(), module, fmt=args.baseline_format,
            env={**base, "GOCACHE": str(d / "gocache-baseline"),
                 "XDG_CACHE_HOME": str(d / "xdg-baseline")}, targets=targets)
        print(f"  baseline loop, cold: {b_sec:.1f}s, peak {b_mb:.0f} MB")
        for memory in args.typecheck_memory or [None]:
            for stale in ("gocache-crossvet", "crossvet-cache/typecheck"):
                shutil.rmtree(d / stale, ignore_errors=True)
            c_sec, c_mb, c_found = crossvet(
                module, {**base, "GOCACHE": str(d / "gocache-crossvet"),
                         "CROSSVET_CACHE_DIR": str(cache)}, targets, args.analyzers,
                d / "results.json", memory=memory)
            budget = f" --typecheck-memory {memory}" if memory else ""
            print(f"  crossvet --analyzers{budget}, cold: {c_sec:.1f}s, peak {c_mb:.0f} MB; "
                  f"load average {os.getloadavg()[0]:.1f}")
            common, only_base, only_ours = compare(b_found, c_found, rules)
            dropped = sum(len(b_found[t] - c_found.get(t, set())) for t in b_found) \
                - len(only_base)
            print(f"  cold speed-up: {b_sec / max(c_sec, 1e-9):.1f}x; findings (target, "
                  f"finding) in common {common}, dropped by merge rule all {dropped}, only the "
                  f"baseline {len(only_base)}, only crossvet {len(only_ours)}")
            for line in only_base[:20]:
                print(f"    only baseline: {line}")
            for line in only_ours[:20]:
                print(f"    only crossvet: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
