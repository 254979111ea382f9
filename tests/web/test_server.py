"""The served workbench against slow clients: half-open connections time out and never crowd out
a real request (a real uvicorn server on loopback, with the guarded protocol)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from newsforensics.web.server import guarded_protocol


async def hello(scope, receive, send):  # type: ignore[no-untyped-def]
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.fixture
def served() -> Iterator[tuple[int, uvicorn.Server, type]]:
    protocol = guarded_protocol(header_seconds=1.0, max_header_bytes=4096, max_connections=40)
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
    yield port, running, protocol
    running.should_exit = True
    thread.join(10)


@pytest.fixture
def server(served: tuple[int, uvicorn.Server, type]) -> int:
    return served[0]


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


def _answer(conn: socket.socket) -> bytes:
    conn.settimeout(3)
    data = b""
    while not data.endswith(b"ok"):
        chunk = conn.recv(1024)
        if not chunk:
            break
        data += chunk
    return data


def test_half_open_connections_stay_at_the_gate(served: tuple[int, uvicorn.Server, type]) -> None:
    """uvicorn's protocol (parser, loggers) is built only for a connection whose headers are in."""
    port, running, protocol = served
    loris = [socket.create_connection(("127.0.0.1", port), timeout=3) for _ in range(20)]
    for conn in loris:
        conn.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    time.sleep(0.3)
    assert protocol.waiting.gated == 20 and not running.server_state.connections
    assert _get(port).startswith(b"HTTP/1.1 200")
    for conn in loris:
        conn.close()


def test_headers_in_pieces_a_body_past_the_header_cap_and_a_second_request(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server), timeout=3) as conn:
        for piece in (b"POST / HTTP/1.1\r\n", b"Host: 127.0.0.1\r\nContent-Length: 20000\r\n", b"\r\n"):
            conn.sendall(piece)
            time.sleep(0.05)
        conn.sendall(b"x" * 20000)  # five times the header cap, after the headers
        assert _answer(conn).startswith(b"HTTP/1.1 200")
        conn.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 9000\r\n\r\n" + b"y" * 9000)
        assert _answer(conn).startswith(b"HTTP/1.1 200")  # headers and body in one write


def test_a_slow_second_request_on_a_kept_alive_connection_is_cut(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server), timeout=3) as conn:
        conn.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert _answer(conn).startswith(b"HTTP/1.1 200")
        conn.sendall(b"GET / HTTP/1.1\r\n")  # and never the rest
        assert _closed(conn)
