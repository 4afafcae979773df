"""The GitHub edges: annotations and step summary in a workflow, the sticky PR comment.

Everything here takes the environment as a mapping; nothing reads os.environ.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TextIO

from matrix.errors import EXIT_OK, UsageError
from reports.paths import module_prefix
from reports.results import Results

if TYPE_CHECKING:  # the comment's client (httpx) is imported by the one command that posts
    from crossvet.ghapi import GitHubClient, Identity


def in_actions(env: Mapping[str, str]) -> bool:
    """Annotate and summarize only inside GitHub Actions, unless CROSSVET_ANNOTATE=0 (as the
    shard jobs of a sharded run do: the merge job reports once for all of them)."""
    return env.get("GITHUB_ACTIONS") == "true" and env.get("CROSSVET_ANNOTATE", "1") != "0"


def start(env: Mapping[str, str], out: TextIO) -> None:
    """Before any compiler output reaches the log: stop setup-go's matcher from annotating it."""
    if in_actions(env):
        from reports import annotate  # noqa: PLC0415 (lazy: GitHub Actions only)
        annotate.emit(out, annotate.REMOVE_GO_MATCHER)


def report(results: Results, *, module_dir: str, env: Mapping[str, str], out: TextIO) -> None:
    """Print the annotations and append the Markdown report to $GITHUB_STEP_SUMMARY."""
    if not in_actions(env):
        return
    from reports import annotate, summary  # noqa: PLC0415 (deliberately lazy: in Actions only)
    ann = annotate.annotate(results, prefix=module_prefix(module_dir, env))
    for line in ann.lines:
        annotate.emit(out, line)
    complete = False  # whether the step summary gets every finding
    path = env.get("GITHUB_STEP_SUMMARY", "")
    try:
        used = os.path.getsize(path) if path else 0
    except OSError:
        used = 0
    room = summary.STEP_SUMMARY_LIMIT - used
    if path and room < 4096:
        warn(out, "the step summary is full; the report was not added to it")
    elif path:
        step = summary.step_summary_report(results, ann, limit=room)
        try:
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(step.text)
            complete = step.complete
        except OSError as exc:  # the report files and the exit code matter more than the summary
            warn(out, f"could not write the step summary: {exc.strerror}")
    notice = summary.annotation_notice(ann, summary_complete=complete)
    if notice:
        annotate.emit(out, notice)
    out.flush()


def warn(out: TextIO, message: str) -> None:
    """crossvet's own warning annotation."""
    from reports import annotate  # noqa: PLC0415 (lazy: GitHub Actions only)
    annotate.emit(out, annotate.command("warning", message, {"title": "crossvet"}))


# ---- the sticky comment ----------------------------------------------------------------------

def pr_number(env: Mapping[str, str], given: int | None) -> int:
    """--pr, else the pull request of the event that started the workflow."""
    if given is not None:
        if given < 1:
            raise UsageError(f"--pr must be a positive number, got {given}")
        return given
    path = env.get("GITHUB_EVENT_PATH", "")
    if not path:
        raise UsageError("no pull request: pass --pr N (GITHUB_EVENT_PATH is not set)")
    try:
        with open(path, encoding="utf-8") as fh:
            event = json.load(fh)
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read the event file {path}: {exc}") from exc
    for key in ("pull_request", "issue"):
        number = (event.get(key) or {}).get("number") if isinstance(event, dict) else None
        if isinstance(number, int) and number > 0:
            return number
    raise UsageError(f"the event in {path} is not a pull request "
                     f"({env.get('GITHUB_EVENT_NAME', 'unknown event')}): pass --pr N")


def run_url(env: Mapping[str, str]) -> str:
    server, repo, run = (env.get(k, "") for k in
                         ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID"))
    return f"{server}/{repo}/actions/runs/{run}" if server and repo and run else ""


ClientFactory = Callable[[str, str, Callable[[str], None]], "GitHubClient"]


def _client(api_url: str, token: str, log: Callable[[str], None]) -> GitHubClient:
    from crossvet.ghapi import GitHubClient  # noqa: PLC0415 (deliberately lazy)
    return GitHubClient(api_url=api_url, token=token, log=log)


def _own_comment(client: GitHubClient, repo: str, number: int, key: str
                 ) -> dict[str, Any] | None:
    """The comment this token wrote earlier for `key`, or None. A comment with crossvet's
    marker written by anyone else is ignored, its hidden data never read: the marker is text
    anyone can type. Who the token is gets asked only when a marker is found."""
    from reports import comment  # noqa: PLC0415 (deliberately lazy)
    me: Identity | None = None
    for c in client.list_comments(repo, number):
        if not comment.is_ours(str(c.get("body", "")), key) or type(c.get("id")) is not int:
            continue
        me = me or client.whoami()
        if me.wrote(c):
            return c
    return None


def post_comment(results: Results, *, env: Mapping[str, str], key: str, pr: int | None,
                 repo: str, out: TextIO, err: TextIO,
                 client_factory: ClientFactory = _client) -> int:
    """Create or update the one comment for this PR and key. A token that may not write is a
    warning (exit 0): commenting is a courtesy, the check's result stands on its own."""
    # Only this command talks to the API: httpx and the comment's rendering load here, not in
    # every `crossvet check` (tests/unit/test_startup.py).
    from crossvet.ghapi import (  # noqa: PLC0415 (deliberately lazy)
        GitHubError,
        ReadOnlyToken,
        Redactor,
        check_api_url,
    )
    from reports import comment  # noqa: PLC0415 (deliberately lazy)
    comment.check_key(key)
    api_url = check_api_url(env.get("GITHUB_API_URL", "") or "https://api.github.com")
    repo = repo or env.get("GITHUB_REPOSITORY", "")
    if repo.count("/") != 1:
        raise UsageError("no repository: pass --repo OWNER/NAME (GITHUB_REPOSITORY is not set)")
    number = pr_number(env, pr)
    token = env.get("GITHUB_TOKEN", "")
    if not token:
        raise UsageError("GITHUB_TOKEN is not set: the comment needs a token that may write "
                         "pull requests (permissions: pull-requests: write)")

    redact = Redactor.for_api(api_url, token)

    def log(msg: str) -> None:
        err.write(f"crossvet: {redact(msg)}\n")

    try:
        with client_factory(api_url, token, log) as client:
            existing = _own_comment(client, repo, number, key)
            before = comment.previous(str(existing.get("body", ""))) if existing else ()
            body = comment.render(results, key=key, before=before, run_url=run_url(env))
            if existing is not None:
                done = client.update_comment(repo, existing["id"], body)
                verb = "updated"
            else:
                done = client.create_comment(repo, number, body)
                verb = "created"
    except ReadOnlyToken as exc:
        message = (f"could not comment on pull request #{number}: the token may not write "
                   f"({redact(str(exc))}). Pull requests from forks get a read-only "
                   "token: use the workflow_run pattern (docs/github.md) to comment on them.")
        if env.get("GITHUB_ACTIONS") == "true":
            warn(out, message)
        else:
            out.write(f"crossvet: warning: {message}\n")
        return EXIT_OK
    except GitHubError as exc:
        raise GitHubError(redact(str(exc)), status=exc.status) from None
    out.write(f"{verb} comment {done.get('html_url') or done.get('id', '')} on #{number}\n")
    return EXIT_OK
