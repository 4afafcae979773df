"""The sticky PR comment against a GitHub API server on 127.0.0.1: create, update in place,
pagination, retries, a read-only token, and the token kept out of every output."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crossvet import github as gh
from crossvet.ghapi import GitHubClient, GitHubError, RetryPolicy
from crossvet.outputs import dump
from matrix.errors import EXIT_OK
from reports import comment
from reports.results import Results
from tests.helpers.ghdata import diag, results
from tests.helpers.github_server import FakeGitHub, serve

TOKEN = "ghs_S3cretTokenValue0123456789"
REPO = "octo/widgets"


@pytest.fixture()
def api() -> Iterator[FakeGitHub]:
    with serve(TOKEN) as server:
        yield server


def _env(api: FakeGitHub, tmp_path: Path, number: int = 7) -> dict[str, str]:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "synchronize", "number": number,
                                 "pull_request": {"number": number}}))
    return {"GITHUB_API_URL": api.base + "/api/v3", "GITHUB_TOKEN": TOKEN,
            "GITHUB_REPOSITORY": REPO, "GITHUB_EVENT_PATH": str(event),
            "GITHUB_EVENT_NAME": "pull_request"}


class Post:
    def __init__(self, api: FakeGitHub, tmp_path: Path) -> None:
        self.env = _env(api, tmp_path)
        self.sleeps: list[float] = []
        self.out = io.StringIO()
        self.err = io.StringIO()

    def factory(self, url: str, token: str, log: Any) -> GitHubClient:
        return GitHubClient(api_url=url, token=token, log=log, sleep=self.sleeps.append,
                            policy=RetryPolicy(attempts=4, base=0.5, cap=4, max_wait=30))

    def __call__(self, res: Results, **kw: Any) -> int:
        return gh.post_comment(res, env=self.env, key=kw.pop("key", "crossvet"),
                               pr=kw.pop("pr", None), repo="", out=self.out, err=self.err,
                               client_factory=self.factory)

    @property
    def text(self) -> str:
        return self.out.getvalue() + self.err.getvalue()


BROKEN = results([diag(t, "constant 53687091200000 overflows int", category="overflow",
                       file="s3/minio.go", line=243, col=9) for t in ("linux/386",)]
                 + [diag("linux/386", "undefined: sysName", category="undefined", file="n.go")])
HALF_FIXED = results([diag("linux/386", "undefined: sysName", category="undefined",
                           file="n.go")])


def test_first_run_creates_second_updates_the_same_comment(api: FakeGitHub, tmp_path: Path,
                                                          caplog: pytest.LogCaptureFixture
                                                          ) -> None:
    caplog.set_level(logging.DEBUG)
    api.page_size = 2  # our comment ends up on the third page of five comments
    for i in range(4):
        api.seed(REPO, 7, f"unrelated comment {i}")
    post = Post(api, tmp_path)
    assert post(BROKEN) == EXIT_OK
    assert [r.method for r in api.writes()] == ["POST"]
    ours = api.comments[(REPO, 7)][-1]
    assert ours["body"].startswith("<!-- crossvet-comment key=crossvet -->\n")
    assert "constant 53687091200000 overflows int" in ours["body"]
    assert "created comment" in post.out.getvalue()

    api.seed(REPO, 7, "a human replies")  # pushes our comment away from the end
    post2 = Post(api, tmp_path)
    assert post2(HALF_FIXED) == EXIT_OK
    assert [r.method for r in api.writes()] == ["POST", "PATCH"]
    assert api.writes()[1].path.endswith(f"/issues/comments/{ours['id']}")
    bodies = [c["body"] for c in api.comments[(REPO, 7)]]
    assert sum(b.startswith("<!-- crossvet-comment") for b in bodies) == 1
    body = ours["body"]
    assert "### Fixed since the last run (1)" in body
    assert "~~**overflow** at `s3/minio.go:243:9`" in body
    assert "_Since the last run: 0 new, 1 fixed._" in body
    # Pages were followed through Link headers, all with the token in the header only.
    gets = [r for r in api.requests if r.method == "GET"]
    assert len(gets) == 2 + 3 and gets[1].path.endswith("page=2")  # 4, then 6 comments
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in api.requests)
    assert TOKEN not in post.text + post2.text + caplog.text


def test_keys_keep_separate_comments(api: FakeGitHub, tmp_path: Path) -> None:
    post = Post(api, tmp_path)
    post(BROKEN, key="crossvet")
    post(BROKEN, key="tools-module")
    post(HALF_FIXED, key="tools-module")
    assert [r.method for r in api.writes()] == ["POST", "POST", "PATCH"]
    assert len(api.comments[(REPO, 7)]) == 2


def test_429_with_retry_after_is_retried(api: FakeGitHub, tmp_path: Path) -> None:
    api.script("GET", 429, {"Retry-After": "3"}, {"message": "slow down"})
    api.script("POST", 502, {}, {"message": "Bad gateway"})
    post = Post(api, tmp_path)
    assert post(BROKEN) == EXIT_OK
    assert post.sleeps == [3.0, 0.5]  # Retry-After first, then backoff
    assert [r.method for r in api.requests] == ["GET", "GET", "POST", "POST"]
    assert "HTTP 429: slow down; retrying in 3.0s (attempt 2 of 4)" in post.err.getvalue()
    assert len(api.comments[(REPO, 7)]) == 1


def test_rate_limit_403_waits_for_the_reset(api: FakeGitHub, tmp_path: Path) -> None:
    clock = 1_700_000_000.0
    api.script("GET", 403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(clock) + 9)},
               {"message": "API rate limit exceeded"})
    sleeps: list[float] = []
    client = GitHubClient(api_url=api.base + "/api/v3", token=TOKEN, sleep=sleeps.append,
                          clock=lambda: clock)
    with client:
        assert list(client.list_comments(REPO, 1)) == []
    assert sleeps == [10.0]


def test_persistent_5xx_gives_up_with_a_bounded_error(api: FakeGitHub, tmp_path: Path) -> None:
    for _ in range(4):
        api.script("GET", 500, {}, {"message": "oops"})
    post = Post(api, tmp_path)
    with pytest.raises(GitHubError, match=r"HTTP 500: oops \(gave up after 4 attempts\)") as e:
        post(BROKEN)
    assert post.sleeps == [0.5, 1.0, 2.0]
    assert TOKEN not in str(e.value) + post.text
    # A wait beyond max_wait is refused rather than hanging the job.
    api.script("GET", 429, {"Retry-After": "3600"}, {"message": "later"})
    with pytest.raises(GitHubError, match="longer than 30s"):
        post(BROKEN)


def test_read_only_token_is_a_warning_and_exit_0(api: FakeGitHub, tmp_path: Path) -> None:
    api.read_only = True
    post = Post(api, tmp_path)
    post.env["GITHUB_ACTIONS"] = "true"
    assert post(BROKEN) == EXIT_OK
    out = post.out.getvalue()
    assert out.startswith("::warning title=crossvet::could not comment on pull request #7")
    assert "Resource not accessible by integration" in out and "workflow_run" in out
    assert TOKEN not in post.text
    assert api.comments.get((REPO, 7), []) == []


def test_token_is_never_printed_even_when_the_server_echoes_it(api: FakeGitHub,
                                                               tmp_path: Path) -> None:
    api.script("GET", 404, {}, {"message": f"no such token {TOKEN}"})
    post = Post(api, tmp_path)
    with pytest.raises(GitHubError) as e:
        post(BROKEN)
    assert TOKEN not in str(e.value) and "***" in str(e.value)
    assert TOKEN not in repr(post.factory(api.base, TOKEN, print))


def test_link_to_another_host_is_not_followed(api: FakeGitHub, tmp_path: Path) -> None:
    api.script("GET", 200, {"Link": '<http://127.0.0.2:1/steal?page=2>; rel="next"'}, [])
    with GitHubClient(api_url=api.base + "/api/v3", token=TOKEN) as client, \
            pytest.raises(GitHubError, match="another host"):
        list(client.list_comments(REPO, 1))


def test_cli_comment_uses_the_event_and_api_url(api: FakeGitHub, tmp_path: Path,
                                                cli: Any) -> None:
    res_file = tmp_path / "r.json"
    dump(BROKEN, str(res_file))
    r = cli("comment", str(res_file), env=_env(api, tmp_path, number=12))
    assert r.code == 0, r.err
    assert "created comment" in r.out and "#12" in r.out
    assert len(api.comments[(REPO, 12)]) == 1
    r = cli("comment", str(res_file), env={**_env(api, tmp_path), "GITHUB_EVENT_PATH": ""})
    assert r.code == 2 and "pass --pr N" in r.err
    r = cli("comment", str(res_file), "--pr", "12", env={**_env(api, tmp_path),
                                                          "GITHUB_TOKEN": ""})
    assert r.code == 2 and "GITHUB_TOKEN is not set" in r.err


def test_body_is_capped_and_keeps_its_marker() -> None:
    many = results([diag("linux/386", f"problem {i} " + "y" * 300, line=i + 1)
                    for i in range(400)])
    body = comment.render(many)
    assert len(body) <= 65536
    assert body.startswith(comment.marker("crossvet") + "\n<!-- crossvet-data ")
    assert "truncated to GitHub's 65,536-character limit" in body
    seen = comment.previous(body)
    assert len(seen) == 400 and seen[0].id == many.findings[0].fingerprint  # all kept


def test_hidden_data_cannot_close_the_html_comment() -> None:
    res = results([diag("linux/386", "weird --> message <!-- x")])
    body = comment.render(res)
    head = body.split("\n")[1]
    assert head.count("-->") == 1 and head.endswith("-->")
    assert comment.previous(body)[0].message == "weird --> message <!-- x"
    assert comment.previous("no data here") == ()
    with pytest.raises(Exception, match="bad comment key"):
        comment.marker("bad key -->")
