"""A small GitHub REST client (httpx) for the sticky comment: list, create, update.

- `GITHUB_API_URL` is the base (GitHub Enterprise works); pages are followed through `Link`
  headers, never to another host (the token must not leave the API server).
- 429, 5xx, connection errors and rate-limit 403s are retried: `Retry-After` first, then
  `x-ratelimit-reset` when the quota is spent, else bounded exponential backoff; a wait longer
  than `max_wait` is not attempted.
- A 403 that is not a rate limit means the token may not write (a fork's pull request gets a
  read-only token): `ReadOnlyToken`, which the caller reports as a warning.
- The token is sent only in the Authorization header and never appears in an error, a log line
  or a repr.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from matrix.errors import InfraError, UsageError

API_VERSION = "2022-11-28"
PER_PAGE = 100
MAX_PAGES = 100  # 10,000 comments: a bound, not a limit anyone meets


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


def check_api_url(url: str, *, source: str = "GITHUB_API_URL") -> str:
    """The API's base URL, refused (exit 2, no request made) unless it is an http(s) URL with a
    host: a typo is a configuration error, not five retries of a request that cannot work."""
    try:
        parts = urlsplit(url)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # a bad port or bracketed host
        ok = False
    if not ok or any(c.isspace() for c in url):
        raise UsageError(f"{source} must be an http(s) URL such as https://api.github.com, "
                         f"got {url!r}"[:300])
    return url


def redact(text: str, secret: str) -> str:
    return text.replace(secret, "***") if secret else text


def _github_message(resp: httpx.Response) -> str:
    try:
        data = resp.json()
    except ValueError:
        return resp.text[:200]
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


class GitHubClient:
    def __init__(self, *, api_url: str, token: str, policy: RetryPolicy | None = None,
                 transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time,
                 log: Callable[[str], None] = lambda _msg: None, timeout: float = 30.0) -> None:
        self.api_url = api_url.rstrip("/")
        self._token = token
        self._policy = policy or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._log = log
        self._http = httpx.Client(
            transport=transport, timeout=timeout, follow_redirects=False,
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

    # ---- transport with retries ---------------------------------------------------------------

    def _delay(self, resp: httpx.Response | None, attempt: int) -> float:
        if resp is not None:
            after = resp.headers.get("retry-after")
            if after is not None:
                parsed = _retry_after(after, self._clock())
                if parsed is not None:
                    return parsed
            if resp.headers.get("x-ratelimit-remaining") == "0":
                reset = resp.headers.get("x-ratelimit-reset", "")
                if reset.isdigit():
                    return max(0.0, float(reset) - self._clock()) + 1.0
        return float(min(self._policy.cap, self._policy.base * 2 ** attempt))

    @staticmethod
    def _rate_limited(resp: httpx.Response) -> bool:
        if resp.status_code == 429:
            return True
        if resp.status_code != 403:
            return False
        return ("retry-after" in resp.headers or resp.headers.get("x-ratelimit-remaining") == "0"
                or "rate limit" in _github_message(resp).lower())

    def request(self, method: str, url: str, *, json: Any = None) -> httpx.Response:
        if not url.startswith(("http://", "https://")):
            url = self.api_url + url
        attempts = self._policy.attempts
        for attempt in range(attempts):
            resp: httpx.Response | None = None
            try:
                resp = self._http.request(method, url, json=json,
                                          headers={"Authorization": f"Bearer {self._token}"})
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__}: {redact(str(exc), self._token)}"
            else:
                if resp.status_code < 400:
                    return resp
                message = redact(_github_message(resp), self._token)
                retry = resp.status_code >= 500 or self._rate_limited(resp)
                if not retry:
                    error = ReadOnlyToken if resp.status_code == 403 else GitHubError
                    raise error(f"{method} {url}: HTTP {resp.status_code}: {message}",
                                status=resp.status_code)
                problem = f"HTTP {resp.status_code}: {message}"
            if attempt == attempts - 1:
                break
            delay = self._delay(resp, attempt)
            if delay > self._policy.max_wait:
                raise GitHubError(f"{method} {url}: {problem}; the server asks to wait "
                                  f"{delay:.0f}s, longer than {self._policy.max_wait:.0f}s",
                                  status=resp.status_code if resp is not None else 0)
            self._log(f"{method} {url}: {problem}; retrying in {delay:.1f}s "
                      f"(attempt {attempt + 2} of {attempts})")
            self._sleep(delay)
        raise GitHubError(f"{method} {url}: {problem} (gave up after {attempts} attempts)",
                          status=resp.status_code if resp is not None else 0)

    def _same_host(self, url: str) -> bool:
        a, b = urlsplit(self.api_url), urlsplit(url)
        return (a.scheme, a.netloc) == (b.scheme, b.netloc)

    # ---- the endpoints ------------------------------------------------------------------------

    def list_comments(self, repo: str, number: int) -> Iterator[dict[str, Any]]:
        url: str | None = f"/repos/{repo}/issues/{number}/comments?per_page={PER_PAGE}"
        pages = 0
        while url and pages < MAX_PAGES:
            resp = self.request("GET", url)
            pages += 1
            data = resp.json()
            if not isinstance(data, list):
                raise GitHubError(f"GET {url}: expected a list of comments")
            yield from (c for c in data if isinstance(c, dict))
            url = resp.links.get("next", {}).get("url")
            if url and not self._same_host(url):
                raise GitHubError(f"refusing to follow a Link to another host: {url}")

    def create_comment(self, repo: str, number: int, body: str) -> dict[str, Any]:
        data = self.request("POST", f"/repos/{repo}/issues/{number}/comments",
                            json={"body": body}).json()
        return data if isinstance(data, dict) else {}

    def update_comment(self, repo: str, comment_id: int, body: str) -> dict[str, Any]:
        data = self.request("PATCH", f"/repos/{repo}/issues/comments/{comment_id}",
                            json={"body": body}).json()
        return data if isinstance(data, dict) else {}
