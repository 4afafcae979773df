"""A small GitHub REST client (httpx) for the sticky comment: who am I, list, create, update.

- `GITHUB_API_URL` is the base (GitHub Enterprise works); pages are followed through `Link`
  headers, never to another host (the token must not leave the API server).
- 429, 5xx, connection errors, requests past their deadline and rate-limit 403s are retried:
  `Retry-After` first, then `x-ratelimit-reset` when the quota is spent, else bounded exponential
  backoff; a wait longer than `max_wait` is not attempted.
- Every request has ONE bound, a wall-clock deadline for the whole exchange (connecting,
  sending, the status line, the headers and the body), not a per-read timeout a server can
  renew forever by trickling bytes. Answers are capped at `MAX_ANSWER` bytes.
- An answer that is not what GitHub sends (not JSON, the wrong shape, a redirect) is a
  `GitHubError` naming the request and the start of the answer: an infrastructure error, not a
  crash.
- A 403 that is not a rate limit means the token may not write (a fork's pull request gets a
  read-only token): `ReadOnlyToken`, which the caller reports as a warning.
- The token is sent only in the Authorization header. Everything this module prints or raises
  goes through one `Redactor`: the token, the credentials in the API URL's userinfo, and in any
  URL the userinfo and token-like query parameters become `***`.
"""

from __future__ import annotations

import email.utils
import json as jsonlib
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import httpx

from matrix.errors import InfraError, UsageError

API_VERSION = "2022-11-28"
PER_PAGE = 100
MAX_PAGES = 100  # 10,000 comments: a bound, not a limit anyone meets
DEADLINE = 30.0  # seconds for one whole HTTP exchange
MAX_ANSWER = 64 * 1024 * 1024  # bytes: 100 comments of 65,536 characters fit with room to spare


class GitHubError(InfraError):
    def __init__(self, message: str, *, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


class ReadOnlyToken(GitHubError):
    """The token may read but not write (fork pull requests, missing `pull-requests: write`)."""


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    attempts: int = 5
    base: float = 1.0  # first backoff, doubled per attempt
    cap: float = 30.0  # longest backoff
    max_wait: float = 120.0  # a Retry-After or reset further away than this is not waited for


# ---- redaction: the one place text about requests is made printable --------------------------

_URL_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s\"'<>`]*")
_PARAM_RE = re.compile(r"([?&;])([^=&#;]*)=([^&#;]*)")
# Query parameters that carry credentials: access_token, token, client_secret, sig, key, ...
_SECRET_PARAM_RE = re.compile(r"token|secret|passw|pwd|auth|key|sig|code|credential|session",
                              re.IGNORECASE)
_MIN_SECRET = 4  # shorter values are not replaced in free text (they would garble it)


def redact_url(url: str) -> str:
    """`url` with its userinfo and the values of token-like query parameters as `***`."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    cut = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    authority, tail = rest[:cut], rest[cut:]
    if "@" in authority:
        authority = "***@" + authority.rpartition("@")[2]

    def param(m: re.Match[str]) -> str:
        hidden = m[3] and _SECRET_PARAM_RE.search(unquote(m[2]))
        return f"{m[1]}{m[2]}=***" if hidden else m[0]

    return f"{scheme}://{authority}{_PARAM_RE.sub(param, tail)}"


def url_secrets(url: str) -> tuple[str, ...]:
    """The credentials a URL carries: userinfo parts and token-like query values."""
    try:
        parts = urlsplit(url)
        found = [parts.username or "", parts.password or ""]
        found += [v for k, v in parse_qsl(parts.query) if _SECRET_PARAM_RE.search(k)]
    except ValueError:
        return ()
    return tuple(s for s in found if s)


class Redactor:
    """Makes text printable: every URL in it through `redact_url`, and every known secret (as
    given, percent-decoded and percent-encoded) replaced by `***`."""

    def __init__(self, secrets: Iterable[str] = (), *, token: str = "") -> None:
        values = {v for s in secrets for v in (s, unquote(s), quote(unquote(s), safe=""))
                  if len(v) >= _MIN_SECRET}
        self._secrets = sorted(values | ({token} if token else set()), key=len, reverse=True)

    @classmethod
    def for_api(cls, api_url: str, token: str) -> Redactor:
        """For a client of `api_url` with `token` (which is replaced however short it is)."""
        return cls(url_secrets(api_url), token=token)

    def __call__(self, text: str) -> str:
        text = _URL_RE.sub(lambda m: redact_url(m[0]), text)
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


def check_api_url(url: str, *, source: str = "GITHUB_API_URL") -> str:
    """The API's base URL, refused (exit 2, no request made) unless it is an http(s) URL with a
    host: a typo is a configuration error, not five retries of a request that cannot work."""
    try:
        parts = urlsplit(url)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # a bad port or bracketed host
        ok = False
    if not ok or any(c.isspace() for c in url):
        shown = Redactor(url_secrets(url))(repr(url))
        raise UsageError(f"{source} must be an http(s) URL such as https://api.github.com, "
                         f"got {shown}"[:300])
    return url


# ---- who the token is --------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Identity:
    """The account a token writes comments as.

    A user's token (a personal access token, an OAuth or GitHub App user token) may read
    `GET /user`: that account, matched by its numeric id (a login can be renamed, an id not).
    An installation token may not (403 "Resource not accessible by integration"); the one
    crossvet is given is GitHub Actions' GITHUB_TOKEN, whose comments are by the
    `github-actions[bot]` account of type "Bot". No user can take that login: user logins are
    letters, digits and hyphens, so `[bot]` belongs to GitHub Apps, and the `github-actions` app
    is GitHub's own."""

    login: str
    id: int | None = None  # None: match the login and the account type instead
    bot: bool = False

    def wrote(self, comment: dict[str, Any]) -> bool:
        user = comment.get("user")
        if not isinstance(user, dict):
            return False
        if self.id is not None:
            return type(user.get("id")) is int and user.get("id") == self.id
        if user.get("login") != self.login or (user.get("type") == "Bot") != self.bot:
            return False
        app = comment.get("performed_via_github_app")
        # When GitHub names the app that wrote the comment, it must be this bot's app.
        return not isinstance(app, dict) or app.get("slug") == self.login.removesuffix("[bot]")


ACTIONS_BOT = Identity(login="github-actions[bot]", bot=True)


# ---- answers -----------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Answer:
    """One complete HTTP answer, read within the request's deadline."""

    status: int
    headers: httpx.Headers
    body: bytes

    def next_link(self) -> str | None:
        url = httpx.Response(self.status, headers=self.headers).links.get("next", {}).get("url")
        return url or None

    def brief(self) -> str:
        """The start of the answer, for an error message."""
        kind = self.headers.get("content-type", "").split(";")[0].strip() or "no content type"
        text = self.body[:120].decode("utf-8", "replace")
        more = "…" if len(self.body) > 120 else ""
        return f"HTTP {self.status}, {kind}, {len(self.body)} bytes: {text!r}{more}"


def _github_message(ans: Answer) -> str:
    try:
        data = jsonlib.loads(ans.body)
    except ValueError:
        return ans.body[:200].decode("utf-8", "replace")
    return str(data.get("message", "")) if isinstance(data, dict) else ""


def _retry_after(value: str, now: float) -> float | None:
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def _kind(data: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
            type(None): "null"}.get(type(data), "a number")


class _Retry(Exception):
    """A problem worth another attempt (network, deadline)."""


class GitHubClient:
    def __init__(self, *, api_url: str, token: str, policy: RetryPolicy | None = None,
                 transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time,
                 log: Callable[[str], None] = lambda _msg: None,
                 deadline: float = DEADLINE, max_answer: int = MAX_ANSWER) -> None:
        self.redact = Redactor.for_api(api_url, token)
        # Credentials in the URL's userinfo are HTTP Basic authentication (what httpx makes of
        # them anyway), kept out of the URL so no log line, ours or httpx's, can show them.
        parts = urlsplit(api_url)
        auth = None
        if parts.username is not None or parts.password is not None:
            auth = httpx.BasicAuth(unquote(parts.username or ""), unquote(parts.password or ""))
            api_url = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
        self.api_url = api_url.rstrip("/")
        self._token = token
        self._policy = policy or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._log = log
        self._deadline = deadline
        self._max_answer = max_answer
        self._http = httpx.Client(
            transport=transport, timeout=deadline, follow_redirects=False, auth=auth,
            headers={"Accept": "application/vnd.github+json", "User-Agent": "crossvet",
                     "X-GitHub-Api-Version": API_VERSION})

    def __repr__(self) -> str:
        return f"GitHubClient(api_url={self.api_url!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _error(self, message: str, *, status: int = 0,
               kind: type[GitHubError] = GitHubError) -> GitHubError:
        return kind(self.redact(message), status=status)

    # ---- one exchange within its deadline ----------------------------------------------------

    def _fetch(self, method: str, url: str, json: Any, until: float) -> Answer:
        """Runs in a worker thread: send, then read the body while the deadline allows."""
        with self._http.stream(method, url, json=json,
                               headers={"Authorization": f"Bearer {self._token}"}) as resp:
            body = bytearray()
            for chunk in resp.iter_bytes():
                body += chunk
                if len(body) > self._max_answer:
                    raise GitHubError(f"{method} {url}: the answer is larger than "
                                      f"{self._max_answer} bytes")
                if time.monotonic() > until:
                    break  # the caller has given up already
            return Answer(status=resp.status_code, headers=resp.headers, body=bytes(body))

    def _exchange(self, method: str, url: str, json: Any) -> Answer:
        """One HTTP exchange, bounded as a whole by the deadline. httpx bounds each read only,
        so the exchange runs in a daemon thread that is abandoned when the deadline passes (its
        socket reads are bounded too, and a daemon thread never holds the process open)."""
        outcome: list[Answer | BaseException] = []

        def work() -> None:
            try:
                outcome.append(self._fetch(method, url, json, time.monotonic() + self._deadline))
            except BaseException as exc:  # handed to the caller's thread
                outcome.append(exc)

        worker = threading.Thread(target=work, name="crossvet-github", daemon=True)
        worker.start()
        worker.join(self._deadline)
        if not outcome:
            raise _Retry(f"no complete answer within {self._deadline:g}s")
        result = outcome[0]
        if isinstance(result, Answer):
            return result
        if isinstance(result, httpx.TransportError):
            raise _Retry(f"{type(result).__name__}: {result}")
        if isinstance(result, (httpx.HTTPError, httpx.InvalidURL)):
            raise GitHubError(f"{method} {url}: {type(result).__name__}: {result}")
        raise result

    # ---- transport with retries ---------------------------------------------------------------

    def _delay(self, ans: Answer | None, attempt: int) -> float:
        if ans is not None:
            after = ans.headers.get("retry-after")
            if after is not None:
                parsed = _retry_after(after, self._clock())
                if parsed is not None:
                    return parsed
            if ans.headers.get("x-ratelimit-remaining") == "0":
                reset = ans.headers.get("x-ratelimit-reset", "")
                if reset.isdigit():
                    return max(0.0, float(reset) - self._clock()) + 1.0
        return float(min(self._policy.cap, self._policy.base * 2 ** attempt))

    @staticmethod
    def _rate_limited(ans: Answer) -> bool:
        if ans.status == 429:
            return True
        if ans.status != 403:
            return False
        return ("retry-after" in ans.headers or ans.headers.get("x-ratelimit-remaining") == "0"
                or "rate limit" in _github_message(ans).lower())

    def request(self, method: str, url: str, *, json: Any = None) -> Answer:
        try:
            return self._request(method, url, json)
        except GitHubError as exc:  # every message leaves redacted, whoever wrote it
            raise self._error(str(exc), status=exc.status, kind=type(exc)) from None

    def _request(self, method: str, url: str, json: Any) -> Answer:
        if not url.startswith(("http://", "https://")):
            url = self.api_url + url
        attempts = self._policy.attempts
        for attempt in range(attempts):
            ans: Answer | None = None
            try:
                ans = self._exchange(method, url, json)
            except _Retry as exc:
                problem = str(exc)
            else:
                if 200 <= ans.status < 300:
                    return ans
                if 300 <= ans.status < 400:
                    where = ans.headers.get("location", "nowhere")
                    raise GitHubError(f"{method} {url}: HTTP {ans.status}, a redirect to {where} "
                                      "(not followed: is GITHUB_API_URL the API's URL?)",
                                      status=ans.status)
                message = _github_message(ans)
                retry = ans.status >= 500 or self._rate_limited(ans)
                if not retry:
                    kind = ReadOnlyToken if ans.status == 403 else GitHubError
                    raise kind(f"{method} {url}: HTTP {ans.status}: {message}", status=ans.status)
                problem = f"HTTP {ans.status}: {message}"
            if attempt == attempts - 1:
                break
            delay = self._delay(ans, attempt)
            if delay > self._policy.max_wait:
                raise GitHubError(f"{method} {url}: {problem}; the server asks to wait "
                                  f"{delay:.0f}s, longer than {self._policy.max_wait:.0f}s",
                                  status=ans.status if ans is not None else 0)
            self._log(self.redact(f"{method} {url}: {problem}; retrying in {delay:.1f}s "
                                  f"(attempt {attempt + 2} of {attempts})"))
            self._sleep(delay)
        raise GitHubError(f"{method} {url}: {problem} (gave up after {attempts} attempts)",
                          status=ans.status if ans is not None else 0)

    def _same_host(self, url: str) -> bool:
        a, b = urlsplit(self.api_url), urlsplit(url)
        return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)

    def _full(self, url: str) -> str:
        return url if url.startswith(("http://", "https://")) else self.api_url + url

    def _decode(self, method: str, url: str, ans: Answer, *, want: type, what: str) -> Any:
        """The answer's JSON, which must be `what` (a `want`): anything else is a GitHubError
        naming the request and the start of the server's answer."""
        try:
            data = jsonlib.loads(ans.body)
        except ValueError:  # not JSON, not UTF-8
            raise self._error(f"{method} {self._full(url)}: the server's answer is not JSON "
                              f"({ans.brief()})", status=ans.status) from None
        if not isinstance(data, want):
            raise self._error(f"{method} {self._full(url)}: the server's answer is not {what} "
                              f"(got {_kind(data)}; {ans.brief()})", status=ans.status)
        return data

    # ---- the endpoints ------------------------------------------------------------------------

    def whoami(self) -> Identity:
        """The account this token writes as (see `Identity`)."""
        try:
            data = self._decode("GET", "/user", self.request("GET", "/user"), want=dict,
                                what="a user")
        except ReadOnlyToken as exc:
            if "not accessible by integration" in str(exc).lower():  # an installation token
                return ACTIONS_BOT
            raise self._error(f"{exc}: cannot tell which account the token is, so no comment "
                              "is updated", status=exc.status) from None
        login, uid = data.get("login"), data.get("id")
        if not isinstance(login, str) or type(uid) is not int:
            raise self._error(f"GET {self.api_url}/user: the server's answer is not a user "
                              "(no login and numeric id)")
        return Identity(login=login, id=uid, bot=data.get("type") == "Bot")

    def list_comments(self, repo: str, number: int) -> Iterator[dict[str, Any]]:
        url: str | None = f"/repos/{repo}/issues/{number}/comments?per_page={PER_PAGE}"
        pages = 0
        while url and pages < MAX_PAGES:
            ans = self.request("GET", url)
            pages += 1
            data = self._decode("GET", url, ans, want=list, what="a list of comments")
            if not all(isinstance(c, dict) for c in data):
                raise self._error(f"GET {self._full(url)}: the server's answer is not a list of "
                                  f"comments (an entry is not an object; {ans.brief()})")
            yield from data
            url = ans.next_link()
            if url and not self._same_host(url):
                raise self._error(f"refusing to follow a Link to another host: {url}")

    def create_comment(self, repo: str, number: int, body: str) -> dict[str, Any]:
        url = f"/repos/{repo}/issues/{number}/comments"
        ans = self.request("POST", url, json={"body": body})
        data: dict[str, Any] = self._decode("POST", url, ans, want=dict, what="a comment")
        return data

    def update_comment(self, repo: str, comment_id: int, body: str) -> dict[str, Any]:
        url = f"/repos/{repo}/issues/comments/{comment_id}"
        ans = self.request("PATCH", url, json={"body": body})
        data: dict[str, Any] = self._decode("PATCH", url, ans, want=dict, what="a comment")
        return data
