"""The workbench's guard: every request passes here before any route sees it.

Article text is hostile and the server may be reachable by other pages in the analyst's
browser, so one ASGI middleware (cheaper than Starlette's BaseHTTPMiddleware on the read path)
enforces, in order: an allowed Host header (DNS rebinding), the access token when one is set,
same-origin for state-changing requests (CSRF), and the body size limit; and it adds the
security headers, a strict Content-Security-Policy among them, to every response.
Analyses are rate limited per client by :class:`RateLimiter`, a token bucket.
"""

from __future__ import annotations

import hmac
import json
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TOKEN_COOKIE = "nf_token"
# Nothing from the article can run: scripts and styles only from our own static files, no
# framing, no plugins, forms post only to us; images (the SVG basemap) only from self.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
# Downloaded HTML reports carry their own inline CSS and no script; sandboxed if opened here.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    # not "no-referrer": with it browsers send "Origin: null" on form posts, defeating the origin check
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
SAFE_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))


def error_body(status: int, code: str, message: str) -> bytes:
    """The JSON shape of every error the workbench returns."""
    return json.dumps({"error": {"status": status, "code": code, "message": message}}).encode()


async def send_error(send: Send, status: int, code: str, message: str) -> None:
    body = error_body(status, code, message)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               (b"content-security-policy", CSP.encode()), *SECURITY_HEADERS]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def _host_name(host_header: str) -> str:
    """The host of a Host header without its port ("[::1]:8000" → "::1")."""
    if host_header.startswith("["):
        return host_header[1:].split("]", 1)[0]
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


class Guard:
    """ASGI middleware: host, token, origin and size checks; security headers on every reply."""

    def __init__(self, app: ASGIApp, *, allowed_hosts: list[str] | None, token: str | None,
                 max_body_bytes: int) -> None:
        self.app = app
        self.allowed_hosts = None if allowed_hosts is None else frozenset(allowed_hosts)
        self.token = token
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = _host_name(_header(scope, b"host") or "")
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            await send_error(send, 400, "bad-host", f"host {host!r} is not served here; open the "
                             "workbench at http://127.0.0.1 (or localhost) on its port")
            return
        set_cookie: list[tuple[bytes, bytes]] = []
        if self.token is not None:
            presented, from_query = self._presented_token(scope)
            if presented is None or not hmac.compare_digest(presented.encode(), self.token.encode()):
                await send_error(send, 401, "token-required", "this workbench needs its access "
                                 "token: open the URL that 'newsforensics serve' printed, or send "
                                 "'Authorization: Bearer TOKEN'")
                return
            if from_query:  # remember it, so that links and assets work without the query
                set_cookie = [(b"set-cookie", f"{TOKEN_COOKIE}={self.token}; HttpOnly; "
                               "SameSite=Strict; Path=/".encode())]
        if scope["method"] not in SAFE_METHODS and not self._same_origin(scope):
            await send_error(send, 403, "cross-origin", "requests that change state must come from "
                             "the workbench's own pages")
            return
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            await send_error(send, 413, "too-large", self._too_large_message())
            return

        receive = await self._bounded_body(scope, receive)
        if receive is None:
            await send_error(send, 413, "too-large", self._too_large_message())
            return

        async def secured_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(k == b"content-security-policy" for k, _ in headers):
                    headers.append((b"content-security-policy", CSP.encode()))
                headers.extend(SECURITY_HEADERS)
                headers.extend(set_cookie)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, secured_send)

    async def _bounded_body(self, scope: Scope, receive: Receive) -> Receive | None:
        """Read a request body up to the limit (None past it) and replay it to the app.

        Reading it here, before any route, is what makes a streamed (chunked) body that grows
        past the limit a clean 413 rather than a parse error deep inside the framework.
        """
        if scope["method"] in SAFE_METHODS and _header(scope, b"content-length") is None \
                and _header(scope, b"transfer-encoding") is None:
            return receive
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replay: list[Message] = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]

        async def replayed() -> Message:
            return replay.pop() if replay else await receive()

        return replayed

    def _too_large_message(self) -> str:
        return (f"the request body is over the limit of {self.max_body_bytes // 2**20} MB; "
                "send one news item at a time")

    def _presented_token(self, scope: Scope) -> tuple[str | None, bool]:
        auth = _header(scope, b"authorization")
        if auth and auth.lower().startswith("bearer "):
            return auth[7:].strip(), False
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if "token" in query:
            return query["token"][0], True
        cookie = SimpleCookie(_header(scope, b"cookie") or "")
        return (cookie[TOKEN_COOKIE].value if TOKEN_COOKIE in cookie else None), False

    @staticmethod
    def _same_origin(scope: Scope) -> bool:
        """No Origin (curl, scripts) is fine; a browser's Origin must name this very host."""
        origin = _header(scope, b"origin")
        if origin is None:
            return True
        return urlsplit(origin).netloc == (_header(scope, b"host") or "")


class RateLimiter:
    """A token bucket per client address: ``burst`` at once, refilled at ``per_minute``."""

    def __init__(self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = burst
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    MAX_CLIENTS = 4096  # past this many tracked addresses, forget those whose bucket is full again

    def allow(self, client: str) -> float:
        """0 when the request may go ahead, else the seconds until it may."""
        now = self.clock()
        with self._lock:
            if len(self._buckets) > self.MAX_CLIENTS:
                self._buckets = {k: (t, at) for k, (t, at) in self._buckets.items()
                                 if t + (now - at) * self.rate < self.burst}
            tokens, last = self._buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1 - tokens) / self.rate if self.rate > 0 else float("inf")
