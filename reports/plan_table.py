"""Rendering a plan: a table for people, JSON for tools, a GitHub Actions matrix for CI."""

from __future__ import annotations

import json
from typing import Any

from tabulate import tabulate

from matrix.plan import Job, Plan
from matrix.shards import MAX_GITHUB_MATRIX, split


def _why(job: Job, plan: Plan) -> str:
    """A short reason per merge for the table; the notes below it say it in full."""
    merged = [n for n in plan.notes if any(n.startswith(f"{a} runs as {job.name}:")
                                           for a in job.alias_names)]
    short = ["default variant" if "default for GOARCH" in n else "same files (go list)"
             for n in merged]
    return ", ".join(dict.fromkeys(short))


def _shards(plan: Plan, shards: int) -> dict[str, str]:
    if shards <= 0:
        return {}
    return {j.name: f"{i}/{shards}" for i, part in enumerate(split(plan.jobs, shards), 1)
            for j in part}


def job_json(job: Job, shard: str = "", why: tuple[str, ...] = ()) -> dict[str, Any]:
    t = job.target
    return {"name": job.name, "slug": job.slug, "target": t.id, "goos": t.goos,
            "goarch": t.goarch, "variant": t.variant, "tags": list(job.tags), "cgo": job.cgo,
            "go_version": job.go_version, "checks": list(job.checks),
            "aliases": list(job.alias_names), "env": job.env(), "shard": shard,
            "why": list(why),
            **({"module": job.module} if job.module else {}),
            **({"packages": list(job.packages)} if job.packages else {})}


def to_json(plan: Plan, *, go: str = "", shards: int = 0) -> dict[str, Any]:
    where = _shards(plan, shards)
    return {"go": go, "packages": list(plan.packages), "shards": shards,
            "jobs": [job_json(j, where.get(j.name, ""), plan.why_of(j.name)) for j in plan.jobs],
            "merged": [{"name": m.name, "runs_as": m.alias_names[0] if m.aliases else ""}
                       for m in plan.merged],
            "notes": list(plan.notes)}


# Cells that say nothing: a column holding only these for every job is left out of the table.
_EMPTY = {"variant": "-", "tags": "-", "cgo": "off", "also reported as": "-", "why merged": "-",
          "why": "-"}


def _without_empty_columns(headers: list[str],
                           rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    keep = [i for i, h in enumerate(headers)
            if h not in _EMPTY or any(r[i] != _EMPTY[h] for r in rows)]
    return [headers[i] for i in keep], [[r[i] for i in keep] for r in rows]


def table(plan: Plan, *, go: str = "", shards: int = 0) -> str:
    where = _shards(plan, shards)
    headers = ["target", "variant", "tags", "cgo", "checks", "also reported as", "why merged",
               "why"]
    several = bool(plan.modules)
    if several:
        headers.insert(0, "module")
    if shards:
        headers.insert(0, "shard")
    rows = []
    for j in plan.jobs:
        row = [j.target.platform, j.target.variant or "-", ",".join(j.tags) or "-",
               "on" if j.cgo else "off", ",".join(j.checks), ", ".join(j.alias_names) or "-",
               _why(j, plan) or "-", ", ".join(plan.why_of(j.name)) or "-"]
        if j.go_version:
            row[0] += f" @go{j.go_version}"
        if several:
            row.insert(0, j.module)
        if shards:
            row.insert(0, where.get(j.name, ""))
        rows.append(row)
    headers, rows = _without_empty_columns(headers, rows)
    n_mod = len(plan.modules)
    out = [f"crossvet plan: {len(plan.jobs)} job{'s' if len(plan.jobs) != 1 else ''}"
           + (f" in {n_mod} module{'s' if n_mod != 1 else ''}" if n_mod else "")
           + (f" for {len(plan.jobs) + len(plan.merged)} names" if plan.merged else "")
           + (f" with {go}" if go else "") + (f", {shards} shards" if shards else ""),
           "", tabulate(rows, headers=headers, tablefmt="simple")]
    if plan.notes:
        out += ["", "notes:"] + [f"  - {n}" for n in plan.notes]
    return "\n".join(out) + "\n"


def github_matrix(plan: Plan, *, shards: int = 0) -> dict[str, Any]:
    """`{"include": [...]}` for `strategy.matrix`: one entry per shard, each run with
    `crossvet check --shard ${{ matrix.shard }}`. Without --shards, one shard per job (at most
    256, GitHub's limit; more jobs are packed into 256 shards)."""
    n = shards or min(len(plan.jobs), MAX_GITHUB_MATRIX) or 1
    include = []
    for i, part in enumerate(split(plan.jobs, n), 1):
        if not part:
            continue
        name = part[0].slug if len(part) == 1 else f"shard-{i}-of-{n}"
        include.append({"shard": f"{i}/{n}", "name": name,
                        "jobs": " ".join(j.name for j in part)})
    return {"include": include}


def render(plan: Plan, fmt: str, *, go: str = "", shards: int = 0) -> str:
    if fmt == "json":
        return json.dumps(to_json(plan, go=go, shards=shards), indent=2) + "\n"
    if fmt == "github-matrix":
        return json.dumps(github_matrix(plan, shards=shards)) + "\n"
    return table(plan, go=go, shards=shards)
