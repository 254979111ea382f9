"""The served workbench against slow clients: half-open connections time out and never crowd out
a real request (a real uvicorn server on loopback, with the guarded protocol)."""

from __future__ import annotations

import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator

import pytest
import uvicorn

from newsforensics.web.server import GuardedHttpProtocol


async def hello(scope, receive, send):  # type: ignore[no-untyped-def]
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.fixture
def server() -> Iterator[int]:
    protocol = type("TestProtocol", (GuardedHttpProtocol,), {
        "header_seconds": 1.0, "max_header_bytes": 4096, "max_connections": 40, "pending": OrderedDict()})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(hello, host="127.0.0.1", port=port, http=protocol, log_level="warning",
                            lifespan="off", timeout_keep_alive=1)
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield port
    running.should_exit = True
    thread.join(10)


def _get(port: int) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=3) as conn:
        conn.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        return conn.recv(1024)


def _closed(conn: socket.socket) -> bool:
    conn.settimeout(3)
    try:
        return conn.recv(1) == b""
    except ConnectionResetError:  # closed by the server with data unread
        return True
    except TimeoutError:
        return False


def test_half_open_connections_time_out_and_never_crowd_out_a_request(server: int) -> None:
    loris = []
    for _ in range(120):  # three times the connection cap
        conn = socket.create_connection(("127.0.0.1", server), timeout=3)
        try:
            conn.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # headers never finished
        except ConnectionResetError:  # a newcomer while every waiting one was in its grace
            pass
        loris.append(conn)
        time.sleep(0.005)
    time.sleep(0.6)  # past the grace of the last burst: the oldest waiting ones can be evicted
    started = time.monotonic()
    assert _get(server).startswith(b"HTTP/1.1 200")
    assert time.monotonic() - started < 1.0
    assert _closed(loris[-1])  # past the header deadline even the newest is closed
    for conn in loris:
        conn.close()


def test_endless_headers_are_cut(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server), timeout=3) as conn:
        conn.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        with pytest.raises((ConnectionResetError, BrokenPipeError)):
            for _ in range(100):
                conn.sendall(b"X-Padding: " + b"a" * 1000 + b"\r\n")
                time.sleep(0.01)
