"""The action's run step, run the way GitHub runs it: `bash action/run.sh` with the environment
GitHub sets, against a real module, real `go` and the GitHub API server on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from crossvet import action, cli
from crossvet.outputs import load
from reports.comment import render as render_comment
from tests.conftest import ROOT, fixture
from tests.helpers import monorepo
from tests.helpers.ghdata import diag, results
from tests.helpers.github_server import FakeGitHub, serve
from tests.helpers.gitrepo import SECOND_OVERFLOW, git
from tests.unit.reports.test_sarif import assert_uploadable

TOKEN = "ghs_ActionTokenDoNotPrint42"
REPO = "octo/storage"
PR = 31


def _outputs(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


class Runner:
    """One simulated job: a checkout with the module in mod/, the runner's files in runner/."""

    def __init__(self, tmp_path: Path, go_env: dict[str, str], api: FakeGitHub) -> None:
        self.workspace = tmp_path / "checkout"
        shutil.copytree(fixture("overflow"), self.workspace / "mod")
        (self.workspace / ".git").mkdir()
        self.runner = tmp_path / "runner"
        self.runner.mkdir()
        event = self.runner / "event.json"
        event.write_text(json.dumps({"action": "synchronize", "number": PR,
                                     "pull_request": {"number": PR}}))
        self.env = {
            **go_env, "PYTHONPATH": str(ROOT), "CROSSVET_PYTHON": sys.executable,
            "GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event),
            "GITHUB_API_URL": api.base + "/api/v3", "GITHUB_SERVER_URL": "https://github.test",
            "GITHUB_REPOSITORY": REPO, "GITHUB_RUN_ID": "99", "GITHUB_TOKEN": TOKEN,
            "RUNNER_TEMP": str(self.runner),
            "INPUT_TARGETS": "linux/amd64,linux/386", "INPUT_WORKING_DIRECTORY": "mod",
            "INPUT_COMMENT": "on", "INPUT_SARIF": str(self.runner / "crossvet.sarif"),
            "INPUT_FAIL_ON": "findings", "INPUT_JOBS": "2",
        }
        self.step = 0
        self.log = ""

    def run(self, **inputs: str) -> tuple[int, str, Path, Path]:
        self.step += 1
        summary = self.runner / f"summary{self.step}.md"
        outputs = self.runner / f"output{self.step}.txt"
        summary.touch()
        outputs.touch()
        env = {**self.env, "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(outputs),
               **inputs}
        proc = subprocess.run(["bash", str(ROOT / "action" / "run.sh")], env=env,
                              cwd=self.workspace, capture_output=True, text=True, timeout=300,
                              check=False)
        log = proc.stdout + proc.stderr
        self.log = log
        assert TOKEN not in log + summary.read_text() + outputs.read_text()
        return proc.returncode, proc.stdout, summary, outputs


@pytest.fixture()
def api() -> Iterator[FakeGitHub]:
    with serve(TOKEN) as server:
        yield server


def test_action_annotates_summarizes_comments_and_writes_sarif(tmp_path: Path,
                                                               go_env: dict[str, str],
                                                               api: FakeGitHub) -> None:
    job = Runner(tmp_path, go_env, api)
    # Someone typed crossvet's marker, with hidden data claiming a finding was fixed.
    forged = render_comment(results([diag("linux/386", "forged by mallory", file="m.go")]))
    foreign = api.seed(REPO, PR, forged)
    code, out, summary, outputs = job.run()
    assert code == 1, out
    lines = out.splitlines()
    assert lines[0] == "::remove-matcher owner=go::"  # before any compiler line
    errors = [x for x in lines if x.startswith("::error")]
    assert len(errors) == 1
    assert errors[0].startswith("::error file=mod/s3/minio.go,line=14,col=51,"
                                "title=crossvet overflow%3A breaks on linux/386::")
    assert "%0ABreaks on: linux/386%0A" in errors[0]
    report = summary.read_text()
    assert "❌ crossvet: 1 problem on 1 of 2 targets" in report
    assert "s3/minio.go:14:51" in report
    values = _outputs(outputs)
    assert values["exit-code"] == "1" and values["findings"] == "1"
    assert load(values["results"]).summary["findings"] == 1
    sarif_log = json.loads(Path(values["sarif"]).read_text())
    assert_uploadable(sarif_log)
    assert sarif_log["runs"][0]["results"][0]["locations"][0]["physicalLocation"][
        "artifactLocation"]["uri"] == "mod/s3/minio.go"
    foreign_, ours = api.comments[(REPO, PR)]
    assert foreign_ is foreign and foreign["body"] == forged  # not taken over
    assert ours["body"].startswith("<!-- crossvet-comment key=crossvet -->")
    assert "breaks on: `linux/386`" in ours["body"]
    assert "mallory" not in ours["body"] and "Fixed since" not in ours["body"]
    assert "[Full log and job summary](https://github.test/octo/storage/actions/runs/99)" in \
        ours["body"]

    # The next push fixes the overflow: the same comment is updated and shows it as fixed.
    src = job.workspace / "mod" / "s3" / "minio.go"
    src.write_text(src.read_text().replace("maxPartSize = 1024", "maxPartSize int64 = 1024"))
    code, out, summary, outputs = job.run()
    assert code == 0, out
    assert not [x for x in out.splitlines() if x.startswith(("::error", "::warning"))]
    assert [r.method for r in api.writes()] == ["POST", "PATCH"]
    assert api.writes()[1].path.endswith(f"/comments/{ours['id']}")
    assert foreign["body"] == forged
    assert "✅ crossvet: no problems on 2 targets" in ours["body"]
    assert "### Fixed since the last run (1)" in ours["body"]
    assert "~~**overflow** at `s3/minio.go:14:51`" in ours["body"]
    assert "mallory" not in ours["body"]
    assert _outputs(outputs)["findings"] == "0"


def test_fork_token_warns_and_keeps_the_checks_result(tmp_path: Path, go_env: dict[str, str],
                                                      api: FakeGitHub) -> None:
    api.read_only = True
    job = Runner(tmp_path, go_env, api)
    code, out, _, outputs = job.run()
    assert code == 1  # the findings still fail the step
    assert "::warning title=crossvet::could not comment on pull request #31" in out
    assert _outputs(outputs)["exit-code"] == "1"
    # fail-on never: green, but outputs still say what was found; comment off: no API call.
    before = len(api.requests)
    code, out, _, outputs = job.run(INPUT_FAIL_ON="never", INPUT_COMMENT="off")
    assert code == 0 and _outputs(outputs)["findings"] == "1"
    assert len(api.requests) == before
    # fail-on new with the first run's results as baseline: nothing new, green.
    baseline = job.runner / "baseline.json"
    shutil.copy(_outputs(outputs)["results"], baseline)
    code, _, _, outputs = job.run(INPUT_FAIL_ON="new", INPUT_BASELINE=str(baseline),
                                  INPUT_COMMENT="off")
    assert code == 0 and _outputs(outputs)["new-findings"] == "0"
    # One shard of a sharded run: no annotations, no summary, no comment (the merge job's).
    before = len(api.requests)
    code, out, summary, outputs = job.run(INPUT_SHARD="1/1", INPUT_FAIL_ON="never")
    if "unrecognized arguments: --shard" not in job.log:  # the planner's --shard is merged
        assert code == 0 and _outputs(outputs)["findings"] == "1", job.log
    assert "::error" not in out and summary.read_text() == ""
    assert len(api.requests) == before
    # Bad input fails before checking, and leaves no earlier run's results behind as outputs.
    code, _, _, outputs = job.run(INPUT_BASELINE=str(job.runner / "missing.json"))
    assert code == 2 and "cannot read" in job.log and _outputs(outputs)["results"] == ""
    code, _, _, outputs = job.run(INPUT_TARGETS="plan9/nope")
    assert code == 2 and _outputs(outputs)["results"] == "" and _outputs(outputs)["sarif"] == ""
    code, _, _, _ = job.run(INPUT_FAIL_ON="sometimes")
    assert code == 2 and "argument --fail-on: invalid choice: 'sometimes'" in job.log


def test_comments_only_on_pull_requests(tmp_path: Path) -> None:
    push = tmp_path / "push.json"
    push.write_text(json.dumps({"ref": "refs/heads/main"}))
    assert not action.is_pull_request({"GITHUB_EVENT_NAME": "push",
                                       "GITHUB_EVENT_PATH": str(push)})
    assert action.is_pull_request({"GITHUB_EVENT_NAME": "pull_request"})
    assert not action.is_pull_request({})


def test_inputs_become_the_check_flags() -> None:
    # fail-on, baseline and only-new are the command line's flags: one code path decides.
    argv = action.check_argv({"INPUT_FAIL_ON": "new", "INPUT_BASELINE": "b.json"}, "r.json",
                             new_from_rev="abc123")
    assert argv == ["check", "--json=r.json", "--fail-on=new", "--baseline=b.json",
                    "--new-from-rev=abc123", "--", "."]
    argv = action.check_argv({"INPUT_TARGETS": " linux/386 ", "INPUT_SHARD": "2/3",
                              "INPUT_RUNNER": "", "INPUT_WORKING_DIRECTORY": "sub"}, "r.json")
    assert argv == ["check", "--json=r.json", "--targets=linux/386", "--shard=2/3", "--", "sub"]
    # An input that looks like an option stays the value of its own flag.
    argv = action.check_argv({"INPUT_TARGETS": "--go=/tmp/evil", "INPUT_WORKING_DIRECTORY":
                              "--help"}, "r.json")
    assert argv == ["check", "--json=r.json", "--targets=--go=/tmp/evil", "--", "--help"]
    args = cli.build_parser().parse_args(argv)
    assert args.targets == "--go=/tmp/evil" and args.go is None and args.path == "--help"


def test_action_on_a_monorepo(tmp_path: Path, go_env: dict[str, str], api: FakeGitHub) -> None:
    """working-directory a tree of modules, the `modules` input: annotations at repository
    paths naming each finding's module, the comment grouped by module, SARIF per module."""
    job = Runner(tmp_path, go_env, api)
    monorepo.write(job.workspace / "repo", gowork=False, tools=True)
    code, out, summary, outputs = job.run(
        INPUT_WORKING_DIRECTORY="repo", INPUT_MODULES="all,!tools",
        INPUT_TARGETS=monorepo.TARGETS, INPUT_CHECKS="vet,build")
    assert code == 1, job.log
    errors = sorted(x for x in out.splitlines() if x.startswith("::error"))
    assert [e.split("::")[1] for e in errors] == [
        "error file=repo/app/app.go,line=8,col=25,title=crossvet undefined in app%3A breaks on "
        "windows/386",
        "error file=repo/calc/calc.go,line=8,col=17,title=crossvet overflow in calc%3A breaks "
        "on linux/386%2C windows/386"]
    assert "### Module `app (example.com/app)`" in summary.read_text()
    [comment] = api.comments[(REPO, PR)]
    assert comment["body"].index("### Module `app (example.com/app)`") < \
        comment["body"].index("### Module `calc (example.com/calc)`")
    sarif_log = json.loads(Path(_outputs(outputs)["sarif"]).read_text())
    assert_uploadable(sarif_log)
    assert sorted((r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                   r["properties"]["module"]) for r in sarif_log["runs"][0]["results"]) == [
        ("repo/app/app.go", "app"), ("repo/calc/calc.go", "calc")]
    argv = action.check_argv({"INPUT_MODULES": "all,!tools", "INPUT_KEEP_GOING": "on"}, "r.json")
    assert argv == ["check", "--json=r.json", "--modules=all,!tools", "--keep-going", "--", "."]
def test_only_new_compares_with_the_pull_requests_merge_base(tmp_path: Path,
                                                             go_env: dict[str, str],
                                                             api: FakeGitHub) -> None:
    job = Runner(tmp_path, go_env, api)
    shutil.rmtree(job.workspace / ".git")
    git(job.workspace, "init", "-q")
    git(job.workspace, "add", "-A")
    git(job.workspace, "commit", "-qm", "base")
    base = git(job.workspace, "rev-parse", "HEAD").strip()
    src = job.workspace / "mod" / "s3" / "minio.go"
    src.write_text(src.read_text() + SECOND_OVERFLOW)
    git(job.workspace, "commit", "-qam", "the pull request adds an overflow")
    (job.runner / "event.json").write_text(json.dumps({
        "action": "synchronize", "number": PR,
        "pull_request": {"number": PR, "base": {"ref": "main", "sha": base}}}))
    code, out, _, outputs = job.run(INPUT_ONLY_NEW="on", INPUT_FAIL_ON="")
    assert code == 1, job.log
    errors = [x for x in out.splitlines() if x.startswith("::error")]
    assert len(errors) == 1 and "file=mod/s3/minio.go,line=21," in errors[0]  # only the new one
    values = _outputs(outputs)
    assert values["new-findings"] == "1" and values["findings"] == "2"
    [comment] = api.comments[(REPO, PR)]
    assert "**1 new, 1 existing (unchanged), 0 fixed**" in comment["body"]
    assert "<details><summary>1 existing finding" in comment["body"]

    # The next push fixes the old overflow: one new, nothing existing, one fixed.
    src.write_text(src.read_text().replace("maxPartSize = 1024", "maxPartSize int64 = 1024")
                   .replace("return maxPartSize * maxNumSize * 2", "return int(maxNumSize) * 1e9"))
    git(job.workspace, "commit", "-qam", "fix the old one, keep a new one")
    code, out, _, outputs = job.run(INPUT_ONLY_NEW="on", INPUT_FAIL_ON="")
    assert code == 1, job.log
    [comment] = api.comments[(REPO, PR)]
    assert "**1 new, 0 existing (unchanged), 1 fixed**" in comment["body"], comment["body"]
    assert "### Fixed (1)" in comment["body"]
    assert "cached" in job.log  # the base commit was checked once

    # A shallow checkout without the base commit: exit 2, and how to fetch it.
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth=1", f"file://{job.workspace}", str(shallow))
    job.workspace = shallow
    code, _, _, _ = job.run(INPUT_ONLY_NEW="on", GITHUB_WORKSPACE=str(shallow))
    assert code == 2, job.log
    assert "shallow clone" in job.log and "fetch-depth: 0" in job.log
