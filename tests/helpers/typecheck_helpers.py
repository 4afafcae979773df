"""Shared set-up for the typecheck tests: one engine build per session, engine runs by hand."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from checker import engine_build, toolchain, typecheck
from checker.engine_build import EngineSite
from checker.local import LocalBackend
from checker.model import CheckResult
from checker.proc import ProcessGroup
from matrix.plan import Job
from matrix.targets import Target
from tests.conftest import gocache_dir


def engine_cache_dir() -> str:
    return str(Path(gocache_dir()).parent / "crossvet-cache")


def build_engine(env: Mapping[str, str]) -> str:
    tc = toolchain.find(env)
    return engine_build.ensure(tc, cache_dir=engine_cache_dir(), env=env)


def jobs_for(ids: Sequence[str], *, cgo: bool = False) -> list[Job]:
    return [Job(target=Target.parse(i), checks=("typecheck",), cgo=cgo) for i in ids]


def run(engine: str, env: Mapping[str, str], module_dir: str, jobs: Sequence[Job], *,
        cache_dir: str = "", share: bool = True, width: int = 2,
        narrowing_level: str = "default",
        check: str = "typecheck") -> tuple[dict[str, Any], dict[str, CheckResult]]:
    """Run the engine once (with vet when `check` is vet); its raw answer and the CheckResults
    of `check` crossvet makes of it."""
    tc = toolchain.find(env)
    settings = typecheck.Settings(share=share, result_cache=bool(cache_dir),
                                  narrowing_level=narrowing_level)
    req = typecheck.request(jobs, go=tc.go, module_dir=module_dir, packages=["./..."],
                            width=width, settings=settings, results_dir=cache_dir,
                            goroot=tc.goroot, vet=check == "vet")
    site = EngineSite(engine=engine, go=tc.go, goroot=tc.goroot, module_dir=module_dir,
                      results_dir=cache_dir)
    backend = LocalBackend(toolchain=tc, module_dir=module_dir, env=env, group=ProcessGroup(),
                           cache_dir=cache_dir)
    data = typecheck.decode(backend.run_engine(site, req, timeout=300), 300)
    results = typecheck.parse_response(data, jobs, module_dir=module_dir, narrowing="warning",
                                       check=check)
    return data, results


def keys(result: CheckResult) -> set[tuple[str, int, int, str]]:
    return {d.key for d in result.diagnostics}


def cli_env(engine: str, tmp: str) -> dict[str, str]:
    return {"CROSSVET_ENGINE": engine, "CROSSVET_CACHE_DIR": os.path.join(tmp, "cache")}
