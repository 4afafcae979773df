"""Workflow commands: escaping, one annotation per finding, the 10-per-step order, the summary."""

from __future__ import annotations

import io
from pathlib import Path

from crossvet import github as gh
from reports import annotate, summary
from reports.paths import module_prefix, repo_path
from tests.helpers.ghdata import diag, results


def test_escaping_matches_actions_toolkit() -> None:
    assert annotate.escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert annotate.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    line = annotate.command("error", "bad % thing\nline two",
                          {"file": "dir,with:colons/x.go", "line": 3, "col": 0, "title": "t: x"})
    # col=0 (unknown) is left out; `:` and `,` in properties would otherwise split them.
    assert line == ("::error file=dir%2Cwith%3Acolons/x.go,line=3,title=t%3A x"
                    "::bad %25 thing%0Aline two")


def test_one_annotation_per_finding_naming_every_target() -> None:
    res = results([diag(t, "constant 1 << 40 overflows int", category="overflow",
                        file="s3/minio.go", line=243, col=9)
                   for t in ("linux/386", "linux/arm", "windows/386")],
                  targets=("linux/amd64", "linux/386", "linux/arm", "windows/386"))
    ann = annotate.annotate(res, prefix="svc")
    assert len(ann.lines) == 1
    line = ann.lines[0]
    assert line.startswith("::error file=svc/s3/minio.go,line=243,col=9,title=crossvet overflow")
    assert "Breaks on: linux/386, linux/arm, windows/386" in line
    assert ann.not_shown_total == 0


def test_limit_keeps_most_important_first_and_counts_the_rest() -> None:
    diags = [diag("linux/386", f"vet problem {i}", category="vet", analyzer="printf",
                  check="vet", line=100 + i) for i in range(8)]
    diags += [diag("linux/386", f"overflow {i}", category="overflow", line=50 + i)
              for i in range(5)]
    diags += [diag("linux/386", f"compile {i}", category="compile", line=10 + i)
              for i in range(4)]
    diags += [diag("linux/386", f"advice {i}", category="narrowing", severity="warning",
                   line=200 + i) for i in range(12)]
    ann = annotate.annotate(results(diags))
    errors = [x for x in ann.lines if x.startswith("::error")]
    warnings = [x for x in ann.lines if x.startswith("::warning")]
    assert len(errors) == 10 and len(warnings) == 10
    assert ["compile" in e for e in errors[:4]] == [True] * 4
    assert ["overflow" in e for e in errors[4:9]] == [True] * 5
    assert "vet/printf" in errors[9]
    assert dict(ann.not_shown) == {"error": 7, "warning": 2}
    note = summary.annotation_note(ann)
    assert "7 errors and 2 warnings were not annotated" in note


def test_targets_not_checked_come_first_once() -> None:
    res = results([diag("linux/386", "x")], errors={"linux/amd64": "timed out after 900s"})
    ann = annotate.annotate(res)
    assert ann.lines[0].startswith("::error title=crossvet could not check 1 target::")
    assert "linux/amd64 build: timed out" in ann.lines[0]
    assert len(ann.lines) == 2
    offline = "a required module could not be downloaded (module lookup disabled by GOPROXY=off)"
    names = ("linux/386", "linux/arm", "windows/386")
    many = annotate.annotate(results([], errors=dict.fromkeys(names, offline), targets=names))
    assert many.lines[0].startswith("::error title=crossvet could not check 3 targets::")
    assert many.lines[0].count("module lookup disabled") == 1
    assert "on linux/386, linux/arm, windows/386" in many.lines[0]


def test_finding_without_file_has_no_position() -> None:
    ann = annotate.annotate(results([diag("linux/386", "go: build failed", file="", line=0)]))
    assert ann.lines[0].startswith("::error title=")


def test_paths_relative_to_the_repository(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    mod = tmp_path / "services" / "api"
    mod.mkdir(parents=True)
    assert module_prefix(str(mod), {}) == "services/api"
    assert module_prefix(str(mod), {"GITHUB_WORKSPACE": str(tmp_path / "services")}) == "api"
    assert module_prefix(str(tmp_path), {}) == ""
    assert repo_path("x.go", "services/api") == "services/api/x.go"
    assert repo_path("/usr/lib/go/src/x.go", "p") == ""


def test_summary_truncates_honestly_under_the_limit() -> None:
    diags = [diag("linux/386", f"problem number {i} " + "x" * 200, line=i + 1)
             for i in range(400)]
    res = results(diags)
    ann = annotate.annotate(res)
    text = summary.step_summary(res, ann, limit=20_000)
    assert len(text.encode()) <= 20_000
    assert "truncated to fit GitHub's 1 MiB step summary limit" in text
    assert "390 errors were not annotated" in text
    full = summary.step_summary(res, ann)
    assert "truncated" not in full and "problem number 399" in full


def test_report_writes_annotations_and_appends_summary(tmp_path: Path) -> None:
    step = tmp_path / "summary.md"
    step.write_text("earlier step output\n")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(step),
           "GITHUB_WORKSPACE": str(tmp_path)}
    out = io.StringIO()
    res = results([diag("linux/386", "boom", file="m.go", line=2, col=3)])
    gh.report(res, module_dir=str(tmp_path / "mod"), env=env, out=out)
    assert out.getvalue() == ("::error file=mod/m.go,line=2,col=3,title=crossvet compile%3A "
                              "breaks on linux/386::boom%0ABreaks on: linux/386\n")
    text = step.read_text()
    assert text.startswith("earlier step output\n## crossvet")
    # Outside Actions, or with CROSSVET_ANNOTATE=0 (shard jobs), nothing is printed.
    for off in ({**env, "GITHUB_ACTIONS": ""}, {**env, "CROSSVET_ANNOTATE": "0"}):
        quiet = io.StringIO()
        gh.report(res, module_dir=str(tmp_path), env=off, out=quiet)
        gh.start(off, quiet)
        assert quiet.getvalue() == ""
    # Past the 10-per-step limit, one notice says so (the summary has the details).
    many = results([diag("linux/386", f"problem {i}", line=i + 1) for i in range(12)])
    crowded = io.StringIO()
    gh.report(many, module_dir=str(tmp_path), env=env, out=crowded)
    notices = [x for x in crowded.getvalue().splitlines() if x.startswith("::notice")]
    assert notices == ["::notice title=crossvet%3A more findings than annotations::GitHub shows "
                       "at most 10 error and 10 warning annotations per step: 2 errors were not "
                       "annotated on the diff. The job summary lists every finding."]
    start = io.StringIO()
    gh.start(env, start)
    assert start.getvalue() == "::remove-matcher owner=go::\n"
