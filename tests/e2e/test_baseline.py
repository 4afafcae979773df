"""New-only checks on a real git repository with the real `go`: --new-from-rev, --baseline,
crossvet baseline, inline suppressions, and the shallow-clone hint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import CliResult, CliRunner
from tests.helpers.gitrepo import SECOND_OVERFLOW, git, two_commits

TARGETS = "linux/amd64,linux/386"


def check(cli: CliRunner, repo: Path, tmp_path: Path, *flags: str,
          env: dict[str, str] | None = None) -> tuple[CliResult, dict[str, Any]]:
    out = tmp_path / "r.json"
    out.unlink(missing_ok=True)
    res = cli("check", str(repo), "--targets", TARGETS, "--checks", "vet,build",
              "--cache-dir", str(tmp_path / "cache"), "--json", str(out), *flags, env=env)
    assert out.exists(), res.out + res.err
    return res, json.loads(out.read_text())


def states(data: dict[str, Any]) -> list[tuple[str, int]]:
    return sorted((f["baseline"], f["line"]) for f in data["findings"])


def test_new_from_rev_marks_new_and_existing_and_lists_fixed(cli: CliRunner,
                                                             tmp_path: Path) -> None:
    repo = two_commits(tmp_path)
    res, data = check(cli, repo, tmp_path, "--new-from-rev", "HEAD~1", "--markdown",
                      str(tmp_path / "r.md"))
    assert res.code == 1, res.out + res.err
    assert states(data) == [("existing", 14), ("new", 21)]
    assert data["summary"]["new"] == 1 and data["summary"]["existing"] == 1
    assert data["baseline"]["source"].startswith("HEAD~1 (")
    assert "checking HEAD~1" in res.out and "in a git worktree" in res.out
    assert "1 new, 1 existing (unchanged), 0 fixed" in res.out
    report = (tmp_path / "r.md").read_text()
    new_at, existing_at = report.index("s3/minio.go:21:9"), report.index("s3/minio.go:14:51")
    assert new_at < report.index("<details><summary>1 existing finding") < existing_at
    assert git(repo, "worktree", "list").count("\n") == 1  # the temporary one is gone

    # The new one removed: the old one is existing, nothing is fixed, exit 0; REV's run is cached.
    src = repo / "s3" / "minio.go"
    src.write_text(src.read_text().replace(SECOND_OVERFLOW, ""))
    res, data = check(cli, repo, tmp_path, "--new-from-rev", "HEAD~1")
    assert res.code == 0, res.out + res.err
    assert states(data) == [("existing", 14)]
    assert data["baseline"]["fixed"] == [] and data["summary"]["fixed"] == 0
    assert "HEAD~1" in res.out and "cached" in res.out and "checking HEAD~1" not in res.out

    # The old one fixed too: exit 0 and one fixed finding.
    src.write_text(src.read_text().replace("maxPartSize = 1024", "maxPartSize int64 = 1024"))
    res, data = check(cli, repo, tmp_path, "--new-from-rev", "HEAD~1")
    assert res.code == 0, res.out + res.err
    assert data["findings"] == []
    (fixed,) = data["baseline"]["fixed"]
    assert fixed["location"] == "s3/minio.go:14:51" and fixed["title"] == "overflow"
    assert "1 fixed (in the baseline, gone now)" in res.out


def test_fail_on_counts_findings_or_nothing(cli: CliRunner, tmp_path: Path) -> None:
    repo = two_commits(tmp_path)
    src = repo / "s3" / "minio.go"
    src.write_text(src.read_text().replace(SECOND_OVERFLOW, ""))
    res, _ = check(cli, repo, tmp_path, "--new-from-rev", "HEAD~1", "--fail-on", "findings")
    assert res.code == 1  # existing ones count too
    res, _ = check(cli, repo, tmp_path, "--new-from-rev", "HEAD~1")
    assert res.code == 0  # only new ones count (the default)
    res, _ = check(cli, repo, tmp_path, env={"CROSSVET_NEW_FROM_REV": "HEAD~1",
                                             "CROSSVET_FAIL_ON": "findings"})
    assert res.code == 1  # from the environment
    (repo / ".crossvet.yaml").write_text("fail_on: findings\nnew_from_rev: HEAD~1\n")
    res, _ = check(cli, repo, tmp_path)
    assert res.code == 1  # from the config file
    res, _ = check(cli, repo, tmp_path, "--fail-on", "new")
    assert res.code == 0  # the flag wins
    res, _ = check(cli, repo, tmp_path, "--fail-on", "never", "--new-from-rev", "HEAD")
    assert res.code == 0


def test_baseline_file_from_crossvet_baseline(cli: CliRunner, tmp_path: Path) -> None:
    repo = two_commits(tmp_path)
    git(repo, "checkout", "-q", "HEAD~1")
    base = tmp_path / "crossvet-baseline.json"
    res = cli("baseline", str(repo), "--targets", TARGETS, "--checks", "vet,build",
              "-o", str(base))
    assert res.code == 0, res.out + res.err  # findings are what a baseline is for
    written = json.loads(base.read_text())
    assert len(written["findings"]) == 1
    assert {c["duration"] for t in written["targets"] for c in t["checks"]} == {0.0}
    git(repo, "checkout", "-q", "main")
    res, data = check(cli, repo, tmp_path, "--baseline", str(base),
                      "--write-baseline", str(tmp_path / "next.json"))
    assert res.code == 1, res.out + res.err
    assert states(data) == [("existing", 14), ("new", 21)]
    assert len(json.loads((tmp_path / "next.json").read_text())["findings"]) == 2
    missing = cli("check", str(repo), "--targets", TARGETS, "--baseline", str(tmp_path / "no"))
    assert missing.code == 2 and "cannot read" in missing.err


def test_inline_suppression_on_the_remaining_finding(cli: CliRunner, tmp_path: Path) -> None:
    repo = two_commits(tmp_path)
    src = repo / "s3" / "minio.go"
    text = src.read_text().replace(SECOND_OVERFLOW, "")
    src.write_text(text.replace(
        "\t\treturn fmt.Errorf",
        "\t\t//crossvet:ignore overflow 32bit -- sizes above 2 GiB are rejected by the caller\n"
        "\t\treturn fmt.Errorf"))
    res, data = check(cli, repo, tmp_path, "--markdown", str(tmp_path / "r.md"))
    assert res.code == 0, res.out + res.err
    (f,) = data["findings"]
    assert f["suppressed"] == {"by": "s3/minio.go:14",
                               "reason": "sizes above 2 GiB are rejected by the caller"}
    assert "1 suppressed" in res.out
    # linux/386 fails by nothing else: its line, the table and the summary say ok, as the exit
    # code does (it said "fail 1 problem" and "1 failing")
    assert "0 findings on 2 targets: 2 ok, 0 failing, 0 not checked; 1 suppressed" in res.out
    lines = [ln for ln in res.out.splitlines() if ln.startswith("[")]
    assert len(lines) == 2 and all(" ok " in ln and " 0 problems" in ln for ln in lines), lines
    assert [t["status"] for t in data["targets"]] == ["ok", "ok"]
    assert "<details><summary>1 suppressed finding</summary>" in (tmp_path / "r.md").read_text()
    (use,) = data["ignores"]
    assert use["targets"] == ["linux/386"] and use["matched"] == 2 and not use["unused"]
    # without its reason it is a configuration error at its own line
    src.write_text(src.read_text().replace(" -- sizes above 2 GiB are rejected by the caller",
                                           ""))
    res = cli("check", str(repo), "--targets", TARGETS, "--checks", "vet,build")
    assert res.code == 2 and "s3/minio.go:14: a suppression needs a reason" in res.err


def test_unused_suppression_is_a_warning_or_an_error(cli: CliRunner, tmp_path: Path) -> None:
    repo = two_commits(tmp_path)
    (repo / ".crossvet.yaml").write_text(
        "ignore:\n"
        "  - category: overflow\n"
        "    targets: 32bit\n"
        "    reason: known on 32-bit\n"
        "  - category: vet/printf\n"
        "    path: \"s3/*.go\"\n"
        "    reason: nothing matches this\n")
    res, data = check(cli, repo, tmp_path)
    assert res.code == 0, res.out + res.err
    assert "warning: unused suppression at" in res.out and ".crossvet.yaml:5" in res.out
    assert [u["unused"] for u in data["ignores"]] == [False, True]
    res, _ = check(cli, repo, tmp_path, "--unused-ignores", "error")
    assert res.code == 1


def test_shallow_clone_without_the_revision_says_how_to_fetch_it(cli: CliRunner,
                                                                 tmp_path: Path) -> None:
    repo = two_commits(tmp_path)
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth=1", f"file://{repo}", str(shallow))
    res = cli("check", str(shallow), "--targets", TARGETS, "--new-from-rev", "HEAD~1")
    assert res.code == 2, res.out + res.err
    assert "shallow clone" in res.err and "fetch-depth: 0" in res.err
    assert "git fetch --depth=1 origin main" in res.err
    assert "crossvet: 2 targets" not in res.out  # it failed before checking anything
    res = cli("check", str(shallow), "--targets", TARGETS, "--new-from-rev", "origin/nope")
    assert res.code == 2 and "git fetch --depth=1 origin nope" in res.err
    res = cli("check", str(tmp_path / "repo"), "--targets", TARGETS, "--new-from-rev", "--x")
    assert res.code == 2


def test_a_module_that_rev_did_not_have_is_all_new(cli: CliRunner, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "README").write_text("no module yet\n")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "before the module")
    mod = two_commits(tmp_path / "m")  # copied into the repository as a subdirectory
    (repo / "mod").mkdir()
    for path in mod.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            dest = repo / "mod" / path.relative_to(mod)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(path.read_bytes())
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "the module")
    res, data = check(cli, repo / "mod", tmp_path, "--new-from-rev", "HEAD~1")
    assert res.code == 1, res.out + res.err
    assert "has no module at mod" in res.out
    assert states(data) == [("new", 14), ("new", 21)]


def test_a_rev_whose_module_had_no_package_is_all_new(cli: CliRunner, tmp_path: Path) -> None:
    """REV's module had only its go.mod: a run there checks no package (NoPackagesError, exit 2
    when it is the run asked for), so as a baseline it has no findings: every one is new."""
    repo = two_commits(tmp_path)
    git(repo, "rm", "-rq", "s3")
    git(repo, "commit", "-qm", "no package yet")
    git(repo, "revert", "--no-edit", "HEAD")
    res, data = check(cli, repo, tmp_path, "--new-from-rev", "HEAD~1")
    assert res.code == 1, res.out + res.err
    assert "has no package to check: every finding is new" in res.out
    assert states(data) == [("new", 14), ("new", 21)]


INDEX = """package s3

// Index converts a uint32 to int: only --narrowing-level all reports it (int is 32 bits wide
// on linux/386, so the sign bit is lost).
func Index(u uint32) int { return int(u) }
"""


def test_new_from_rev_is_checked_again_when_an_option_that_changes_findings_changes(
        cli: CliRunner, tmp_path: Path) -> None:
    """REV's cached results are only reused under the same options: after a run at the default
    narrowing level, `--narrowing-level all` on an unchanged tree must not call REV's own
    narrowing finding new (it did when the cache key left the option out)."""
    repo = two_commits(tmp_path, extra={"s3/index.go": INDEX})  # in both commits
    flags = ("--checks", "typecheck", "--narrowing", "error", "--new-from-rev", "HEAD~1")

    def run(*more: str, cache: str = "cache") -> tuple[CliResult, dict[str, Any]]:
        out = tmp_path / "r.json"
        out.unlink(missing_ok=True)
        res = cli("check", str(repo), "--targets", TARGETS, "--cache-dir", str(tmp_path / cache),
                  "--json", str(out), *flags, *more)
        assert out.exists(), res.out + res.err
        return res, json.loads(out.read_text())

    res, data = run()
    assert res.code == 1, res.out + res.err  # the head commit's second overflow
    assert [f["message"] for f in data["findings"] if f["category"] == "narrowing"] == []
    res, data = run("--narrowing-level", "all")
    narrowing = [f for f in data["findings"] if "uint32" in f["message"]]
    assert len(narrowing) == 1 and narrowing[0]["baseline"] == "existing", res.out
    assert "checking HEAD~1" in res.out  # not the default level's cached run
    res, fresh = run("--narrowing-level", "all", cache="fresh")
    assert states(fresh) == states(data)
    # the same options again: REV's run is reused
    res, _ = run("--narrowing-level", "all")
    assert "cached" in res.out and "checking HEAD~1" not in res.out
