"""The sticky PR comment against a GitHub API server on 127.0.0.1: create, update in place,
pagination, retries, a read-only token, only the token's own comment updated or read, the token
(and credentials in the API URL) kept out of every output, garbage answers, and one deadline per
request."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crossvet import ghapi
from crossvet import github as gh
from crossvet.ghapi import GitHubClient, GitHubError, RetryPolicy
from crossvet.outputs import dump
from matrix.errors import EXIT_INFRA, EXIT_OK, UsageError
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
    gets = [r for r in api.requests if r.method == "GET" and "/comments" in r.path]
    assert len(gets) == 2 + 3 and gets[1].path.endswith("page=2")  # 4, then 6 comments
    # Who the token is was asked once, when the second run found a marker.
    assert [r.path for r in api.requests if r.path.endswith("/user")] == ["/api/v3/user"]
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


# ---- whose comment it is (#26 row 5) ---------------------------------------------------------

FORGED = comment.render(results([diag("linux/386", "forged finding by mallory", file="m.go")]))


def _untouched(api: FakeGitHub, foreign: list[dict[str, Any]]) -> None:
    assert all(c["body"] == FORGED for c in foreign)
    assert all(not r.path.endswith(f"/comments/{c['id']}") for c in foreign
               for r in api.writes())


def test_a_marker_comment_by_someone_else_is_neither_updated_nor_read(api: FakeGitHub,
                                                                      tmp_path: Path) -> None:
    # The token is GITHUB_TOKEN: /user is refused, its comments are github-actions[bot]'s.
    foreign = [api.seed(REPO, 7, FORGED),  # a user who typed the marker
               api.seed(REPO, 7, FORGED, {"login": "github-actions", "id": 9, "type": "User"}),
               api.seed(REPO, 7, FORGED, {"login": "evil-app[bot]", "id": 8, "type": "Bot"}),
               api.seed(REPO, 7, FORGED, {"login": "github-actions[bot]", "id": 41898282,
                                          "type": "Bot"},
                        performed_via_github_app={"slug": "evil-app"})]
    post = Post(api, tmp_path)
    assert post(BROKEN) == EXIT_OK
    assert [r.method for r in api.writes()] == ["POST"]  # a new comment, none taken over
    ours = api.comments[(REPO, 7)][-1]
    assert ours["user"]["login"] == "github-actions[bot]"
    assert "mallory" not in ours["body"] and "Since the last run" not in ours["body"]
    assert "Fixed since the last run" not in ours["body"]
    _untouched(api, foreign)
    # The next run finds its own comment among them, and only that one.
    post2 = Post(api, tmp_path)
    assert post2(HALF_FIXED) == EXIT_OK
    assert [r.method for r in api.writes()] == ["POST", "PATCH"]
    assert api.writes()[1].path.endswith(f"/issues/comments/{ours['id']}")
    assert "_Since the last run: 0 new, 1 fixed._" in ours["body"] and "mallory" not in ours["body"]
    _untouched(api, foreign)


def test_a_personal_token_updates_only_its_own_accounts_comment(api: FakeGitHub,
                                                                tmp_path: Path) -> None:
    api.user = {"login": "octocat", "id": 583231, "type": "User"}
    foreign = [api.seed(REPO, 7, FORGED, {"login": "github-actions[bot]", "id": 41898282,
                                          "type": "Bot"}),
               # the same login on another account (renamed, or a deleted login taken again)
               api.seed(REPO, 7, FORGED, {"login": "octocat", "id": 1, "type": "User"})]
    own = api.seed(REPO, 7, comment.render(BROKEN), api.user)
    post = Post(api, tmp_path)
    assert post(HALF_FIXED) == EXIT_OK
    assert [(r.method, r.path.rsplit("/", 1)[-1]) for r in api.writes()] == [
        ("PATCH", str(own["id"]))]
    assert "_Since the last run: 0 new, 1 fixed._" in own["body"]  # its own data was read
    assert "mallory" not in own["body"]
    _untouched(api, foreign)


def test_whoami(api: FakeGitHub) -> None:
    with GitHubClient(api_url=api.base + "/api/v3", token=TOKEN) as client:
        assert client.whoami() == ghapi.ACTIONS_BOT  # 403 "not accessible by integration"
        api.script("GET", 403, {}, {"message": "Must have admin rights to Repository."})
        with pytest.raises(GitHubError, match=r"Must have admin rights to Repository\.: cannot "
                           "tell which account the token is"):
            client.whoami()
        api.user = {"login": "octocat", "id": 583231, "type": "User"}
        assert client.whoami() == ghapi.Identity(login="octocat", id=583231)
        api.script("GET", 200, {}, {"login": "octocat"})
        with pytest.raises(GitHubError, match="not a user"):
            client.whoami()


def test_the_identity_rule() -> None:
    bot = ghapi.ACTIONS_BOT
    actions = {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"}
    assert bot.wrote({"user": actions})
    assert bot.wrote({"user": actions, "performed_via_github_app": None})
    assert bot.wrote({"user": actions, "performed_via_github_app": {"slug": "github-actions"}})
    assert not bot.wrote({"user": {**actions, "type": "User"}})
    assert not bot.wrote({"user": actions, "performed_via_github_app": {"slug": "other"}})
    assert not bot.wrote({"user": None}) and not bot.wrote({})
    me = ghapi.Identity(login="octocat", id=583231)
    assert me.wrote({"user": {"login": "octocat-renamed", "id": 583231}})
    assert not me.wrote({"user": {"login": "octocat", "id": 1}})
    assert not me.wrote({"user": {"login": "octocat", "id": "583231"}})


# ---- what is printed and how long a request may take (#26 row 6) ----------------------------

URL_SECRET = "ghp_UrlUserinfoSecret987"


def test_a_token_in_the_api_url_is_never_printed(api: FakeGitHub, tmp_path: Path,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    echo = (f"upstream http://x-access-token:{URL_SECRET}@proxy.internal/api failed, see "
            f"https://status.example/?access_token={URL_SECRET}&page=2")
    for _ in range(4):
        api.script("GET", 500, {}, {"message": echo})
    post = Post(api, tmp_path)
    post.env["GITHUB_API_URL"] = (f"http://x-access-token:{URL_SECRET}@"
                                  f"{api.base.removeprefix('http://')}/api/v3")
    with pytest.raises(GitHubError) as e:
        post(BROKEN)
    retries = post.err.getvalue().splitlines()
    assert len(retries) == 3 and all("HTTP 500: upstream http://***@proxy.internal" in line
                                     for line in retries), retries
    assert "access_token=***&page=2" in str(e.value)
    for text in (str(e.value), post.text, caplog.text):
        assert URL_SECRET not in text and TOKEN not in text
    # The userinfo is still the request's credentials: HTTP Basic, as httpx sends it.
    assert all(r.headers["authorization"].startswith("Basic ") for r in api.requests)


def test_a_bad_api_url_with_a_token_in_it_is_refused_without_it() -> None:
    with pytest.raises(UsageError) as e:
        ghapi.check_api_url(f"https://me:{URL_SECRET}@ghe example.com/api/v3")
    assert URL_SECRET not in str(e.value) and "https://***@ghe example.com" in str(e.value)


def test_redaction_of_urls_in_text() -> None:
    redact = ghapi.Redactor.for_api(
        f"https://{URL_SECRET}:p%40ss%3Aw%2Frd!x@ghe.example/api?token=t0k3n", "tok")
    text = redact(f"GET https://a:b@x.example/p?per_page=100&client_secret=s&Sig=q#f "
                  f"{URL_SECRET} p@ss:w/rd!x p%40ss%3Aw%2Frd%21x t0k3n tok")
    assert text == ("GET https://***@x.example/p?per_page=100&client_secret=***&Sig=***#f "
                    "*** *** *** *** ***")


@pytest.mark.parametrize("case", [
    ("GET", 200, {"Content-Type": "text/html"}, b"<html><body>Welcome to nginx!</body></html>",
     "GET http://{host}/api/v3/repos/octo/widgets/issues/12/comments?per_page=100: the "
     "server's answer is not JSON (HTTP 200, text/html, 43 bytes: '<html><body>Welcome to "
     "nginx!</body></html>')"),
    ("GET", 200, {}, b"\xff\xfe garbage", "the server's answer is not JSON (HTTP 200, "
     "application/json, 10 bytes: '\ufffd\ufffd garbage')"),
    ("GET", 200, {}, {"message": "hi"},
     "the server's answer is not a list of comments (got an object; HTTP 200"),
    ("GET", 200, {}, [1, 2], "the server's answer is not a list of comments (an entry is not"),
    ("POST", 201, {}, ["x"], "POST http://{host}/api/v3/repos/octo/widgets/issues/12/comments: "
     "the server's answer is not a comment (got a list"),
    ("GET", 301, {"Location": "https://elsewhere.example/"}, b"",
     "HTTP 301, a redirect to https://elsewhere.example/ (not followed"),
])
def test_a_garbage_answer_is_a_clear_infrastructure_error(
        api: FakeGitHub, tmp_path: Path, cli: Any,
        case: tuple[str, int, dict[str, str], Any, str]) -> None:
    method, status, headers, answer, says = case
    res_file = tmp_path / "r.json"
    dump(BROKEN, str(res_file))
    api.script(method, status, headers, answer)
    r = cli("comment", str(res_file), env=_env(api, tmp_path, number=12))
    assert r.code == EXIT_INFRA, r.err
    [line] = r.err.splitlines()
    assert line.startswith("crossvet: error: ") and "internal error" not in line
    assert says.format(host=api.base.removeprefix("http://")) in line, line
    assert TOKEN not in r.out + r.err


def test_a_trickling_server_is_bounded_per_request(api: FakeGitHub, tmp_path: Path) -> None:
    # Each header byte comes well within the per-read time; only a bound on the whole
    # request ends it (otherwise the server closes after 30 s and the error reads differently).
    api.trickle = 30.0
    sleeps: list[float] = []
    with GitHubClient(api_url=api.base + "/api/v3", token=TOKEN, deadline=0.3,
                      sleep=sleeps.append, policy=RetryPolicy(attempts=2)) as client, \
            pytest.raises(GitHubError, match=r"/comments\?per_page=100: no complete answer "
                          r"within 0\.3s \(gave up after 2 attempts\)$"):
        list(client.list_comments(REPO, 1))
    assert sleeps == [1.0] and len(api.requests) == 2


def test_an_answer_too_large_is_refused(api: FakeGitHub) -> None:
    for i in range(20):
        api.seed(REPO, 1, f"comment {i} " + "x" * 100)
    with GitHubClient(api_url=api.base + "/api/v3", token=TOKEN, max_answer=1000) as client, \
            pytest.raises(GitHubError, match="the answer is larger than 1000 bytes"):
        list(client.list_comments(REPO, 1))
