"""What the web benchmarks share: a real ``newsforensics serve`` in a subprocess on loopback.

The server runs in its own process so that the load generator does not share its interpreter
(and GIL); it is the real command, so models load and warm up exactly as for an analyst.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    base: str
    pid: int


@contextmanager
def serve(*args: str, timeout: float = 120.0) -> Iterator[Server]:
    """``newsforensics serve ARGS`` on a free loopback port, stopped after."""
    port = free_port()
    cli = Path(sys.executable).parent / "newsforensics"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    process = subprocess.Popen([str(cli), "serve", "--port", str(port), *args], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited: {process.stderr.read() if process.stderr else ''}")
            try:
                with urllib.request.urlopen(base + "/api/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not answer within {timeout:.0f} s") from None
                time.sleep(0.2)
        yield Server(base, process.pid)
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """Terminate a server process, killing it if it does not exit within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def hammer(base: str, path: Callable[[random.Random], str], clients: int, seconds: float,
                 max_requests: int = 50_000) -> tuple[list[float], int, float]:
    """(latencies in s, errors, wall seconds) of ``clients`` concurrent keep-alive readers, each
    asking for ``path(rng)`` (a per-client seeded random source) until ``seconds`` pass."""
    import httpx

    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30.0) as client:

        async def reader(seed: int) -> None:
            nonlocal errors
            rng = random.Random(seed)
            while time.perf_counter() < deadline and len(latencies) < max_requests:
                started = time.perf_counter()
                response = await client.get(path(rng))
                latencies.append(time.perf_counter() - started)
                errors += response.status_code != 200

        began = time.perf_counter()
        await asyncio.gather(*(reader(i) for i in range(clients)))
        return latencies, errors, time.perf_counter() - began


async def light_hammer(base: str, path: Callable[[random.Random], str], clients: int, seconds: float,
                       max_requests: int = 200_000) -> tuple[list[float], int, float]:
    """:func:`hammer` with a client that costs about 0.2 ms of CPU a request instead of httpx's
    ~5 ms: plain keep-alive HTTP/1.1 over asyncio streams (GET only, Content-Length bodies). On
    a machine with few cores the load generator competes with the server; this one mostly
    measures the server."""
    host, port = base.removeprefix("http://").rsplit(":", 1)
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def reader(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        stream_in, stream_out = await asyncio.open_connection(host, int(port))
        try:
            while time.perf_counter() < deadline and len(latencies) < max_requests:
                started = time.perf_counter()
                stream_out.write(f"GET {path(rng)} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
                head = await stream_in.readuntil(b"\r\n\r\n")
                length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                await stream_in.readexactly(length)
                latencies.append(time.perf_counter() - started)
                errors += head[9:12] != b"200"
        finally:
            stream_out.close()

    began = time.perf_counter()
    await asyncio.gather(*(reader(i) for i in range(clients)))
    return latencies, errors, time.perf_counter() - began


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]
