"""A small GitHub REST API server for tests, on 127.0.0.1 only.

It keeps issue comments in memory and serves the endpoints the sticky comment uses: who am I
(`/user`), list (paginated with `Link` headers, `per_page` capped by `page_size`), create and
update. Every reply carries rate-limit headers. Tests can script replies (`script(...)`: the next
matching requests get that status, headers and body instead; a `bytes` body is sent as it is),
make the token read-only (writes get 403 "Resource not accessible by integration"), trickle the
answer's headers a byte at a time (`trickle`), and read back every request it saw.

The token is GitHub Actions' GITHUB_TOKEN by default: `/user` is refused (403) and comments are
written by `github-actions[bot]`; set `user` to play a personal access token's account instead.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

_LIST_RE = re.compile(r"^/api/v3/repos/([^/]+/[^/]+)/issues/(\d+)/comments$")
_ONE_RE = re.compile(r"^/api/v3/repos/([^/]+/[^/]+)/issues/comments/(\d+)$")

ACTIONS_BOT = {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"}
SOMEONE = {"login": "someone", "id": 7, "type": "User"}


@dataclass
class Reply:
    method: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


class FakeGitHub:
    def __init__(self, token: str) -> None:
        self.token = token
        self.comments: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self.requests: list[Seen] = []
        self.scripted: list[Reply] = []
        self.read_only = False
        self.page_size = 100
        self.next_id = 1000
        self.lock = threading.Lock()
        self.base = ""
        self.user: dict[str, Any] | None = None  # None: the token is GITHUB_TOKEN
        self.trickle = 0.0  # > 0: seconds to spend sending each answer's headers, a byte a time
        self.stop = threading.Event()

    def script(self, method: str, status: int, headers: dict[str, str] | None = None,
               body: Any = None) -> None:
        self.scripted.append(Reply(method, status, headers or {}, body))

    def seed(self, repo: str, number: int, body: str, user: dict[str, Any] | None = None,
             **extra: Any) -> dict[str, Any]:
        """A comment by `user` (someone else by default)."""
        with self.lock:
            self.next_id += 1
            c = {"id": self.next_id, "body": body, "user": user or SOMEONE,
                 "html_url": f"https://github.example/{repo}/pull/{number}#c{self.next_id}",
                 **extra}
            self.comments.setdefault((repo, number), []).append(c)
            return c

    # ---- request handling ---------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: dict[str, str], body: Any
               ) -> tuple[int, dict[str, str], Any]:
        with self.lock:
            self.requests.append(Seen(method, target, headers, body))
            for i, r in enumerate(self.scripted):
                if r.method == method:
                    del self.scripted[i]
                    return r.status, r.headers, r.body
        if headers.get("authorization") != f"Bearer {self.token}":
            return 401, {}, {"message": "Bad credentials"}
        url = urlsplit(target)
        query = parse_qs(url.query)
        if url.path == "/api/v3/user" and method == "GET":
            if self.user is None:
                return 403, {}, {"message": "Resource not accessible by integration"}
            return 200, {}, self.user
        m = _LIST_RE.match(url.path)
        if m and method == "GET":
            return self._list(m.group(1), int(m.group(2)), query)
        if m and method == "POST":
            if self.read_only:
                return 403, {}, {"message": "Resource not accessible by integration"}
            return 201, {}, self.seed(m.group(1), int(m.group(2)), body["body"],
                                      self.user or ACTIONS_BOT)
        m = _ONE_RE.match(url.path)
        if m and method == "PATCH":
            if self.read_only:
                return 403, {}, {"message": "Resource not accessible by integration"}
            for c in (c for cs in self.comments.values() for c in cs):
                if c["id"] == int(m.group(2)):
                    c["body"] = body["body"]
                    return 200, {}, c
        return 404, {}, {"message": "Not Found"}

    def _list(self, repo: str, number: int, query: dict[str, list[str]]
              ) -> tuple[int, dict[str, str], Any]:
        per_page = min(int(query.get("per_page", ["30"])[0]), self.page_size)
        page = int(query.get("page", ["1"])[0])
        items = self.comments.get((repo, number), [])
        last = max(1, -(-len(items) // per_page))
        headers = {}
        link = f"{self.base}/api/v3/repos/{repo}/issues/{number}/comments?per_page={per_page}"
        if page < last:
            headers["Link"] = (f'<{link}&page={page + 1}>; rel="next", '
                               f'<{link}&page={last}>; rel="last"')
        return 200, headers, items[(page - 1) * per_page: page * per_page]

    def writes(self) -> list[Seen]:
        return [r for r in self.requests if r.method in ("POST", "PATCH")]


def _handler(api: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, extra, payload = api.handle(self.command, self.path, headers, body)
            if isinstance(payload, bytes):
                data = payload
            else:
                data = json.dumps(payload).encode() if payload is not None else b""
            if api.trickle:
                self._trickle(api.trickle)
                return
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            base = {"content-type": "application/json",
                    "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4999",
                    "x-ratelimit-used": "1", "x-ratelimit-reset": str(int(time.time()) + 3600)}
            for k, v in {**base, **{k.lower(): v for k, v in extra.items()}}.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def _trickle(self, seconds: float) -> None:
            """A status line, then header bytes slowly enough that no single read waits long,
            for `seconds`; then the connection is closed without an answer."""
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            end = time.monotonic() + seconds
            line = b"x-slow: header\r\n"
            sent = 0
            while time.monotonic() < end and not api.stop.wait(0.02):
                self.wfile.write(line[sent % len(line):][:1])
                self.wfile.flush()
                sent += 1
            self.close_connection = True

        do_GET = do_POST = do_PATCH = _serve

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

    return Handler


@contextmanager
def serve(token: str) -> Iterator[FakeGitHub]:
    """Run the server on 127.0.0.1 (a free port); `api.base + "/api/v3"` is GITHUB_API_URL."""
    api = FakeGitHub(token)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    api.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield api
    finally:
        api.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
