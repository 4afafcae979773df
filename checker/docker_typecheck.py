"""`--checks typecheck` with the container runner: the engine is built and run in the image.

The engine's source is mounted read-only and built with the image's own `go` into crossvet's
part of the container cache (`/cache/crossvet`), keyed like a host build by Go version, host
platform and source hash; then one locked-down container per Go version runs it for all of that
version's jobs. The request travels in an environment variable: the containers have no writable
place the host can see when the cache is a named volume.
"""

from __future__ import annotations

import json
import math
import platform
from collections.abc import Mapping, Sequence

from checker import container as ct
from checker import typecheck
from checker.docker_runner import DockerSession
from checker.engine_build import ENGINE_SRC, MIN_GO, source_hash
from checker.model import CheckResult
from crossvet.errors import CrossvetError, InfraError
from matrix.plan import Job

BUILD_TIMEOUT = 900.0


def engine_path(version: tuple[int, int, int]) -> str:
    host = f"{platform.system().lower()}-{platform.machine().lower()}"
    ident = "go{}.{}.{}".format(*version) + f"-{host}-{source_hash()}"
    return f"{ct.OWN}/engine-{ident}"


class DockerTypecheck:
    """The `typecheck` BatchCheck of the container runner."""

    def __init__(self, session: DockerSession, *, settings: typecheck.Settings,
                 width: int) -> None:
        self._s = session
        self._settings = settings
        self._width = max(1, width)

    def __call__(self, jobs: Sequence[Job], *, packages: Sequence[str],
                 timeout: float | None) -> Mapping[str, CheckResult]:
        by_version: dict[str, list[Job]] = {}
        for job in jobs:
            by_version.setdefault(job.go_version or self._s.settings.versions[0], []).append(job)
        out: dict[str, CheckResult] = {}
        for version, group in by_version.items():
            try:
                out.update(self._run(version, group, packages, timeout))
            except CrossvetError as exc:  # nothing lost: each job says why it was not checked
                out.update({j.name: CheckResult(target=j.name, check=typecheck.CHECK,
                                                status="error", error=str(exc))
                            for j in group})
        return out

    def _tool(self, version: str, argv: Sequence[str], what: str, *,
              timeout: float | None, env: Mapping[str, str] | None = None) -> str:
        run = self._s.run_tool(version, argv, env=env or {}, timeout=timeout, what=what,
                               read_only_mounts=(str(ENGINE_SRC),))
        if run.cancelled:
            raise InfraError("interrupted")
        if run.timed_out:
            raise InfraError(f"{what} timed out after {timeout:g}s and was killed")
        if run.exit_code != 0:
            raise InfraError(f"{what} failed in image {self._s.settings.images[version]} "
                             f"(exit {run.exit_code}): {(run.stderr or run.stdout).strip()[:800]}")
        return run.stdout

    def _run(self, version: str, jobs: Sequence[Job], packages: Sequence[str],
             timeout: float | None) -> dict[str, CheckResult]:
        if version in self._s.failed:
            raise InfraError(self._s.failed[version])
        found = self._s.versions[version]
        if found < MIN_GO:
            raise InfraError("--checks typecheck needs Go 1.22 or later; the image has "
                             "go{}.{}.{}".format(*found))
        engine = engine_path(found)
        # A build with a warm cache is a cached link: cheap enough to run every time.
        self._tool(version, ["go", "-C", str(ENGINE_SRC), "build", "-trimpath", "-o", engine,
                             "."], "building the typecheck engine", timeout=BUILD_TIMEOUT,
                   env={"CGO_ENABLED": "0", "GOWORK": "off"})
        goroot = self._tool(version, ["go", "env", "GOROOT"], "`go env GOROOT`",
                            timeout=120).strip()
        results = engine.replace("/engine-", "/typecheck/", 1)
        req = typecheck.request(jobs, go="go", module_dir=ct.SRC, packages=packages,
                                width=self._width, settings=self._settings,
                                results_dir=results, goroot=goroot)
        total = None if timeout is None else timeout * max(1, math.ceil(len(jobs) / self._width))
        text = self._tool(version, [engine], "the typecheck engine", timeout=total,
                          env={"CROSSVET_ENGINE_REQUEST": json.dumps(req)})
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InfraError(f"the typecheck engine printed bad JSON: {exc}") from exc
        return typecheck.parse_response(data, jobs, module_dir=ct.SRC,
                                        narrowing=self._settings.narrowing)
