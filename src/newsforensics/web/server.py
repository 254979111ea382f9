"""How the workbench is served: uvicorn with timeouts and a connection cap against slow clients.

uvicorn times out idle keep-alive connections but not a connection that never finishes its
request headers, and it accepts connections until the process runs out of file descriptors
(a slowloris with 20,000 half-open connections did exactly that, before any token check). So
the HTTP protocol here adds: a deadline for each request's headers, a cap on header bytes, and
a cap on open connections that, when reached, closes the *oldest connection still sending its
headers* (if it has waited at least half a second) — a real request, which sends its headers at
once, gets in. Limits: the
``[server]`` table of ``data/web.toml``.
"""

from __future__ import annotations

import asyncio
import resource
from collections import OrderedDict
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .settings import limits_file

# File descriptors kept free for the database, models and logs when sizing the connection cap.
RESERVED_FDS = 64
# A connection waiting for its headers is not evicted in its first half second.
GRACE_SECONDS = 0.5


class GuardedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol plus a header deadline, a header size cap and eviction of
    the oldest header-pending connection when the connection cap is reached."""

    header_seconds: float = 10.0
    max_header_bytes: int = 65_536
    max_connections: int = 1000
    # connections whose current request has not finished its headers, oldest first (one loop)
    pending: OrderedDict[GuardedHttpProtocol, float] = OrderedDict()  # → when it started waiting

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._header_bytes = 0
        self._header_timer: asyncio.TimerHandle | None = None
        now = self.loop.time()
        while len(self.connections) > self.max_connections:
            oldest = next(iter(self.pending), None)
            # Connections accepted in one burst are read only on the next turn of the loop: a
            # young one may not have been read yet, so the newcomer goes instead.
            if oldest is None or now - self.pending[oldest] < GRACE_SECONDS:
                transport.close()
                return
            oldest._drop()
        self._await_headers()

    def _await_headers(self) -> None:
        self._stop_waiting()
        self._header_bytes = 0
        self._header_timer = self.loop.call_later(self.header_seconds, self._drop)
        self.pending[self] = self.loop.time()

    def _stop_waiting(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None
        self.pending.pop(self, None)

    def _drop(self) -> None:
        self._stop_waiting()
        if not self.transport.is_closing():
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        if self._header_timer is not None:
            self._header_bytes += len(data)
            if self._header_bytes > self.max_header_bytes:
                self._drop()
                return
        super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._header_timer is None:  # the next request on a kept-alive connection
            self._await_headers()

    def on_headers_complete(self) -> None:
        self._stop_waiting()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)


def uvicorn_options() -> dict[str, Any]:
    """uvicorn.run options: keep-alive timeout and the guarded protocol, configured from
    web.toml; the connection cap never exceeds what the file-descriptor limit allows."""
    server = limits_file()["server"]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = server["max_connections"] + RESERVED_FDS
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))
        except (ValueError, OSError):
            pass
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    protocol = type("WorkbenchHttpProtocol", (GuardedHttpProtocol,), {
        "header_seconds": server["header_seconds"], "max_header_bytes": server["max_header_bytes"],
        "max_connections": max(16, min(server["max_connections"], soft - RESERVED_FDS)),
        "pending": OrderedDict()})
    return {"http": protocol, "timeout_keep_alive": server["keep_alive_seconds"],
            "backlog": server["backlog"], "log_level": "warning", "server_header": False}
