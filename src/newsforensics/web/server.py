"""How the workbench is served: uvicorn behind a header gate, with timeouts and a connection cap
against slow clients.

uvicorn times out idle keep-alive connections but not a connection that never finishes its
request headers, and it accepts connections until the process runs out of file descriptors (a
slowloris with 20,000 half-open connections did exactly that, before any token check). It also
builds its whole HTTP protocol (parser, loggers, flow control) for every connection it accepts:
under a slowloris that was most of the server's time, and a health check waited seconds behind
thousands of connections being set up. So a new connection first meets a :class:`HeaderGate`, a
small protocol that only collects the first request's headers and hands the connection, with
the bytes read, to uvicorn's protocol once they are complete; later requests on a kept-alive
connection are watched by :class:`GuardedHttpProtocol`. Either way a request must finish its
headers within a deadline and a size cap (one sweep every half second closes those past it),
and at the connection cap the *oldest connection still sending its headers* is closed (if it has
waited at least half a second) — a real request, which sends its headers at once, gets in.
Limits: the ``[server]`` table of ``data/web.toml``.
"""

from __future__ import annotations

import asyncio
import resource
from collections import OrderedDict
from typing import Any, Protocol

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .settings import limits_file

# File descriptors kept free for the database, models and logs when sizing the connection cap.
RESERVED_FDS = 64
# A connection waiting for its headers is not evicted in its first half second.
GRACE_SECONDS = 0.5
# How often connections past their header deadline are looked for.
SWEEP_SECONDS = 0.5


class Droppable(Protocol):
    def drop(self) -> None: ...


def headers_end(data: bytes, start: int = 0) -> int:
    """Where the request headers in ``data`` end (past their blank line), or -1."""
    ends = [found + len(blank) for blank in (b"\r\n\r\n", b"\n\n") if (found := data.find(blank, start)) >= 0]
    return min(ends, default=-1)


class Waiting:
    """The connections of one server whose current request has not finished its headers, oldest
    first (one event loop): past the header deadline they are closed, and at the connection cap
    the oldest goes to let a newcomer in."""

    def __init__(self, header_seconds: float, max_header_bytes: int, max_connections: int) -> None:
        self.header_seconds = header_seconds
        self.max_header_bytes = max_header_bytes
        self.max_connections = max_connections
        self.since: OrderedDict[Droppable, float] = OrderedDict()  # → when it began waiting
        self.gated = 0  # connections still at the gate, not yet uvicorn's
        self._sweep: asyncio.TimerHandle | None = None

    def wait(self, connection: Droppable, loop: asyncio.AbstractEventLoop) -> None:
        self.since.pop(connection, None)
        self.since[connection] = loop.time()
        if self._sweep is None:
            self._sweep = loop.call_later(SWEEP_SECONDS, self._expire, loop)

    def done(self, connection: Droppable) -> None:
        self.since.pop(connection, None)

    def make_room(self, open_connections: int, now: float) -> bool:
        """Close the oldest waiting connections while more than the cap are open; False if none
        has waited its grace, and the newcomer must go instead."""
        while open_connections > self.max_connections:
            oldest = next(iter(self.since.items()), None)
            # Connections accepted in one burst are read only on a later turn of the loop: a
            # young one may not have been read yet.
            if oldest is None or now - oldest[1] < GRACE_SECONDS:
                return False
            oldest[0].drop()
            open_connections -= 1
        return True

    def _expire(self, loop: asyncio.AbstractEventLoop) -> None:
        deadline = loop.time() - self.header_seconds
        while self.since:
            connection, since = next(iter(self.since.items()))
            if since > deadline:
                break
            connection.drop()
        self._sweep = loop.call_later(SWEEP_SECONDS, self._expire, loop) if self.since else None


class GuardedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol whose every request must finish its headers in time and
    within the size cap (the first one already has, at the gate)."""

    waiting: Waiting  # of the server, set by guarded_protocol()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_headers()

    def _await_headers(self) -> None:
        self._header_bytes = 0
        self._awaiting = True
        self.waiting.wait(self, self.loop)

    def _stop_waiting(self) -> None:
        self._awaiting = False
        self.waiting.done(self)

    def drop(self) -> None:
        self._stop_waiting()
        if not self.transport.is_closing():
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        if self._awaiting:
            end = headers_end(data)
            self._header_bytes += len(data) if end < 0 else end  # a body after them is not counted
            if self._header_bytes > self.waiting.max_header_bytes:
                self.drop()
                return
        super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if not self._awaiting:  # the next request on a kept-alive connection
            self._await_headers()

    def on_headers_complete(self) -> None:
        self._stop_waiting()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_waiting()
        super().connection_lost(exc)


class HeaderGate(asyncio.Protocol):
    """A new connection until its first request's headers are in: no parser, no loggers, a few
    bytes kept; then the connection and those bytes go to uvicorn's protocol (``http``)."""

    waiting: Waiting  # of the server, set by guarded_protocol()
    http: type[GuardedHttpProtocol]

    def __init__(self, **uvicorn_args: Any) -> None:  # config, server_state, app_state, _loop
        self._args = uvicorn_args
        self._head = b""
        self._handed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]
        loop = asyncio.get_running_loop()
        waiting = self.waiting
        waiting.gated += 1
        if not waiting.make_room(waiting.gated + len(self._args["server_state"].connections), loop.time()):
            transport.close()
            return
        waiting.wait(self, loop)

    def data_received(self, data: bytes) -> None:
        head = self._head + data
        end = headers_end(head, max(0, len(self._head) - 3))
        if end < 0 or end > self.waiting.max_header_bytes:
            if end >= 0 or len(head) > self.waiting.max_header_bytes:
                self.drop()
            else:
                self._head = head
            return
        self.waiting.done(self)
        self.waiting.gated -= 1
        self._handed = True
        http = self.http(**self._args)
        self.transport.set_protocol(http)
        http.connection_made(self.transport)
        http.data_received(head)

    def drop(self) -> None:
        self.waiting.done(self)
        if not self.transport.is_closing():
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self._handed:
            self.waiting.done(self)
            self.waiting.gated -= 1


def guarded_protocol(header_seconds: float, max_header_bytes: int, max_connections: int) -> type[HeaderGate]:
    """The protocol class for one server (uvicorn's ``http`` option): a gate in front of the
    guarded httptools protocol, sharing one :class:`Waiting`."""
    waiting = Waiting(header_seconds, max_header_bytes, max_connections)
    http = type("WorkbenchHttpProtocol", (GuardedHttpProtocol,), {"waiting": waiting})
    return type("WorkbenchHeaderGate", (HeaderGate,), {"waiting": waiting, "http": http})


def uvicorn_options() -> dict[str, Any]:
    """uvicorn.run options: keep-alive timeout and the guarded protocol, configured from
    web.toml; the connection cap never exceeds what the file-descriptor limit allows. The loop
    is uvicorn's "auto": uvloop (a dependency where it builds), whose accepts and reads cost a
    fraction of asyncio's, which is what keeps health checks answered under a slowloris."""
    server = limits_file()["server"]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = server["max_connections"] + RESERVED_FDS
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))
        except (ValueError, OSError):
            pass
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    protocol = guarded_protocol(server["header_seconds"], server["max_header_bytes"],
                                max(16, min(server["max_connections"], soft - RESERVED_FDS)))
    return {"http": protocol, "loop": "auto", "timeout_keep_alive": server["keep_alive_seconds"],
            "backlog": server["backlog"], "log_level": "warning", "server_header": False}
