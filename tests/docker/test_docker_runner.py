"""The container runner against the real daemon: same results as the local runner, parallel
containers, the lock-down seen by `docker inspect`, the module-download phase, a version axis."""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from checker.docker import daemon as docker_daemon
from tests.conftest import SMALL_TARGETS, CliRunner, fixture
from tests.helpers import modproxy, monorepo

pytestmark = pytest.mark.docker


def _strip(value: Any) -> Any:
    """Results JSON without timings (the only thing allowed to differ between runners)."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k != "duration"}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _results(cli: CliRunner, tmp_path: Path, name: str, *argv: str,
             env: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    out = tmp_path / f"{name}.json"
    res = cli("check", *argv, "--json", str(out), env=env)
    assert out.exists(), res.err + res.out
    data: dict[str, Any] = json.loads(out.read_text())
    return res.code, data


@pytest.mark.parametrize(("name", "targets"), [
    ("overflow", SMALL_TARGETS),
    ("vetprintf", "linux/amd64,linux/386"),
    ("ossplit", "linux/amd64,windows/386"),
    ("testonly386", "linux/amd64,linux/386"),
])
def test_results_equal_the_local_runner(cli: CliRunner, tmp_path: Path, docker_args: list[str],
                                        name: str, targets: str) -> None:
    local_code, local = _results(cli, tmp_path, "local", fixture(name), "--targets", targets)
    code, inside = _results(cli, tmp_path, "docker", fixture(name), "--targets", targets,
                            *docker_args)
    assert code == local_code == 1  # every one of these fixtures breaks somewhere
    assert _strip(inside) == _strip(local)
    assert local["findings"], "the comparison must cover findings"


def test_jobs_run_in_parallel_containers_bounded_by_jobs(
        cli: CliRunner, docker_client: Any, docker_args: list[str]) -> None:
    t0 = time.time_ns()
    since = int(time.time()) - 1
    res = cli("check", fixture("overflow"), "--targets", SMALL_TARGETS, "--jobs", "2",
              "--checks", "vet,build", "--vet", "go", *docker_args)
    assert res.code == 1, res.err
    until = int(time.time()) + 1
    intervals: dict[str, list[int]] = {}
    for ev in docker_client.events(since=since, until=until, decode=True,
                                   filters={"type": "container", "label": "crossvet.job"}):
        if ev.get("status") == "start" and int(ev["timeNano"]) >= t0:
            intervals[ev["id"]] = [int(ev["timeNano"])]
        elif ev.get("status") == "die" and ev["id"] in intervals:
            intervals[ev["id"]].append(int(ev["timeNano"]))
    edges = sorted((t, +1 if i == 0 else -1) for ts in intervals.values()
                   for i, t in enumerate(sorted(ts)[:2]))
    running = peak = 0
    for _, step in edges:
        running += step
        peak = max(peak, running)
    assert len(intervals) == 4 * 3  # go list, build, vet per target
    assert all(len(ts) == 2 for ts in intervals.values())
    assert peak == 2  # two at once, never more than --jobs


class _Spy:
    """A Docker client that records `docker inspect` of every container right after it starts."""

    def __init__(self, client: Any, seen: list[dict[str, Any]]) -> None:
        self._client = client
        self.containers = _SpyContainers(client.containers, seen)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


class _SpyContainers:
    def __init__(self, real: Any, seen: list[dict[str, Any]]) -> None:
        self._real, self._seen = real, seen

    def create(self, **kwargs: Any) -> Any:
        return _SpyContainer(self._real.create(**kwargs), self._seen)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


class _SpyContainer:
    def __init__(self, real: Any, seen: list[dict[str, Any]]) -> None:
        self._real, self._seen = real, seen

    def start(self) -> None:
        self._real.start()
        self._seen.append(self._real.client.api.inspect_container(self._real.id))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def test_check_containers_are_locked_down(cli: CliRunner, docker_args: list[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict[str, Any]] = []
    real_connect = docker_daemon.connect
    monkeypatch.setattr(docker_daemon, "connect",
                        lambda env, pool: _Spy(real_connect(env, pool=pool), seen))
    res = cli("check", fixture("vetprintf"), "--targets", "linux/386", "--memory", "1g",
              "--pids-limit", "1000", "--checks", "vet,build", "--vet", "go", *docker_args)
    assert res.code == 1, res.err
    checks = [c for c in seen if "crossvet.job" in c["Config"]["Labels"]]
    assert len(checks) == 3
    for c in checks:
        host, conf = c["HostConfig"], c["Config"]
        assert host["NetworkMode"] == "none"
        src = [m for m in c["Mounts"] if m["Destination"] == "/src"]
        assert len(src) == 1 and src[0]["RW"] is False
        uid = conf["User"].split(":")[0]
        assert uid not in ("", "0", "root")
        assert [x.upper() for x in host["CapDrop"]] == ["ALL"]
        assert not host.get("CapAdd")
        assert "no-new-privileges" in host["SecurityOpt"]
        assert host["ReadonlyRootfs"] is True
        assert host["Privileged"] is False
        assert host["Memory"] == 1 << 30 and host["PidsLimit"] == 1000
        assert f"uid={uid}" in host["Tmpfs"]["/tmp"]
        assert conf["Labels"]["crossvet"] == "1"
        assert "GOFLAGS=-mod=readonly -buildvcs=false" in conf["Env"]
        assert "GOPROXY=off" in conf["Env"]


def test_module_download_phase_then_offline_checks(
        cli: CliRunner, tmp_path: Path, go_image: str, docker_client: Any) -> None:
    proxy, mod = modproxy.usedep(tmp_path)
    env = {"GOPROXY": f"file://{proxy}", "GOMODCACHE": str(tmp_path / "modcache")}
    targets = ("--targets", "linux/amd64,linux/386")
    local_code, local = _results(cli, tmp_path, "local", str(mod), *targets, env=env)
    volume = f"crossvet-test-{uuid.uuid4().hex[:8]}"  # a fresh cache: nothing downloaded yet
    try:
        code, inside = _results(cli, tmp_path, "docker", str(mod), *targets, "--runner",
                                "docker", "--image", go_image, "--docker-cache",
                                f"volume:{volume}", "--download-network", "none", env=env)
    finally:
        docker_client.volumes.get(volume).remove(force=True)
    assert code == local_code == 1
    assert _strip(inside) == _strip(local)
    assert [f["targets"] for f in inside["findings"]] == [["linux/386"]]
    assert inside["findings"][0]["file"] == "use.go"


def test_go_version_axis(cli: CliRunner, tmp_path: Path, go_image: str, docker_cache: str,
                         go_version: str) -> None:
    short = ".".join(go_version.split(".")[:2])
    repo = go_image.split(":", maxsplit=1)[0]
    code, data = _results(cli, tmp_path, "axis", fixture("overflow"), "--targets", "linux/386",
                          "--runner", "docker", "--image", repo + ":{version}",
                          "--go-versions", f"{go_version},go{short}", "--docker-cache",
                          docker_cache, "--download-network", "none")
    assert code == 1
    assert [(t["id"], t["goarch"], t["go_version"]) for t in data["targets"]] == [
        (f"linux/386 @go{go_version}", "386", go_version), (f"linux/386 @go{short}", "386", short)]
    assert data["go"] == f"go{go_version}, go{go_version}"  # what each image really has
    assert [f["targets"] for f in data["findings"]] == [
        [f"linux/386 @go{go_version}", f"linux/386 @go{short}"]]


def test_config_file_runner_without_a_local_go(cli: CliRunner, tmp_path: Path, go_image: str,
                                               docker_cache: str, go_env: dict[str, str]) -> None:
    """`runner: docker` in .crossvet.yaml, and no go on PATH: the plan comes from the image."""
    mod = tmp_path / "overflow"
    shutil.copytree(fixture("overflow"), mod)
    (mod / ".crossvet.yaml").write_text(
        f"runner: docker\nimage: {go_image}\ndocker_cache: {docker_cache}\n"
        f"download_network: none\ntargets: [linux/amd64, linux/386]\n")
    local_code, local = _results(cli, tmp_path, "local", fixture("overflow"), "--targets",
                                 "linux/amd64,linux/386")
    no_go = os.pathsep.join(p for p in go_env["PATH"].split(os.pathsep)
                            if not shutil.which("go", path=p))
    out = tmp_path / "docker.json"
    res = cli("check", str(mod), "--json", str(out), env={"PATH": no_go})
    assert res.code == local_code == 1, res.err
    assert _strip(json.loads(out.read_text())) == _strip(local)


def test_plan_through_containers_equals_the_local_plan(cli: CliRunner, docker_args: list[str],
                                                       go_env: dict[str, str]) -> None:
    """No go on PATH: the planner's probes (ports, variant defaults, `go list` per candidate)
    run in containers, and the plan, merges included, is the local one."""
    argv = ("plan", fixture("tagsets"), "--targets", "linux/amd64,linux/amd64/v3,linux/386",
            "--tags", ";crossvet_unused;special", "--format", "json")
    local = cli(*argv)
    assert local.code == 0, local.err
    no_go = os.pathsep.join(p for p in go_env["PATH"].split(os.pathsep)
                            if not shutil.which("go", path=p))
    inside = cli(*argv, *docker_args, env={"PATH": no_go})
    assert inside.code == 0, inside.err
    plan = json.loads(local.out)
    assert json.loads(inside.out) == plan
    merged = {j["name"]: j["aliases"] for j in plan["jobs"]}
    assert merged["linux/amd64"] == ["linux/amd64 [crossvet_unused]", "linux/amd64/v3",
                                     "linux/amd64/v3 [crossvet_unused]"]


@pytest.mark.parametrize(("name", "targets"), [
    ("overflow", "linux/amd64,linux/386"),
    ("tc_narrowing", "linux/amd64,linux/386"),
])
def test_typecheck_runs_in_the_image_with_the_local_results(
        cli: CliRunner, tmp_path: Path, *, docker_args: list[str], go_env: dict[str, str],
        name: str, targets: str) -> None:
    """No go on this machine's PATH: the engine is built and run inside the image."""
    local_code, local = _results(cli, tmp_path, "local", fixture(name), "--targets", targets,
                                 "--checks", "typecheck,build")
    no_go = os.pathsep.join(p for p in go_env["PATH"].split(os.pathsep)
                            if not shutil.which("go", path=p))
    code, inside = _results(cli, tmp_path, "docker", fixture(name), "--targets", targets,
                            "--checks", "typecheck,build", *docker_args, env={"PATH": no_go})
    assert code == local_code
    assert _strip(inside) == _strip(local)
    checks = {c["check"]: c for t in inside["targets"] for c in t["checks"]}
    assert checks["typecheck"]["error"] == ""
    assert any("typecheck" in f["checks"] for f in local["findings"])


def test_a_workspace_in_containers_equals_the_local_runner(
        cli: CliRunner, tmp_path: Path, docker_args: list[str]) -> None:
    """The repository root is mounted, each module's containers work in its directory: the same
    targets, findings and repository-relative paths as locally, typecheck included."""
    root = str(monorepo.write(tmp_path / "repo"))
    argv = (root, "--targets", monorepo.TARGETS, "--checks", "build,typecheck")
    local_code, local = _results(cli, tmp_path, "local", *argv)
    code, inside = _results(cli, tmp_path, "docker", *argv, *docker_args)
    assert code == local_code == 1
    assert _strip(inside) == _strip(local)
    assert [(f["file"], f["module"]) for f in local["findings"]] == [
        ("app/app.go", "app"), ("calc/calc.go", "calc")]


def test_a_workspace_use_left_out_in_containers(cli: CliRunner, tmp_path: Path,
                                                docker_args: list[str]) -> None:
    """--keep-going leaves a `use` without go.mod and a module go cannot load out of the
    workspace in containers too (the go.work copy is mounted where the host has it): the
    other modules are checked as locally."""
    root = str(monorepo.write(tmp_path / "repo", extra={
        "go.work": "go 1.22\n\nuse (\n\t./app\n\t./calc\n\t./lib\n\t./gone\n\t./broken\n)\n",
        "broken/go.mod": "module example.com/broken\n\ngo 1.22\nrequire (\n"}))
    argv = (root, "--targets", monorepo.TARGETS, "--checks", "build,typecheck", "--keep-going")
    local_code, local = _results(cli, tmp_path, "local", *argv)
    code, inside = _results(cli, tmp_path, "docker", *argv, *docker_args)
    assert code == local_code == 2
    assert _strip(inside) == _strip(local)
    assert [(f["file"], f["module"]) for f in local["findings"]] == [
        ("app/app.go", "app"), ("calc/calc.go", "calc")]


def test_a_warm_run_does_not_build_the_engine_again(
        cli: CliRunner, tmp_path: Path, docker_args: list[str], docker_client: Any) -> None:
    """The engine built in the container cache is reused: after one run, the next starts no
    build container (it relinked in four containers on every run) and says nothing of a
    build, and each target's line still comes as the engine finishes it."""
    argv = (fixture("overflow"), "--targets", "linux/amd64,linux/386", "--checks",
            "typecheck,vet", "--no-typecheck-cache", *docker_args)
    first = cli("check", *argv)
    assert first.code == 1, first.err + first.out
    since = int(time.time())
    warm = cli("check", *argv)
    until = int(time.time()) + 1
    assert warm.code == 1, warm.err + warm.out
    assert "building the type-check engine" not in warm.out
    assert "[2/2]" in warm.out
    created = [e["Actor"]["Attributes"].get("crossvet.job", "")
               for e in docker_client.events(since=since, until=until, decode=True,
                                             filters={"type": "container", "event": "create",
                                                      "label": "crossvet"})]
    assert "the typecheck engine" in created
    assert "building the typecheck engine" not in created
