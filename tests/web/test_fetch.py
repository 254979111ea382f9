"""URL fetching refuses non-public addresses after resolution, and caps size, time and hops.

No real network: address checks use literals and a fake resolver; the fetch itself talks to a
local HTTP server that the test allows explicitly (loopback is refused by default)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsforensics.web import fetch
from newsforensics.web.fetch import FetchRefused, checked_address, refusal

LIMITS = {"max_bytes": 2000, "timeout": 5.0, "max_redirects": 2, "user_agent": "test"}


@pytest.mark.parametrize("address, kind", [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"), ("fd00::1", "private"),
    ("0.0.0.0", "unspecified"), ("224.0.0.1", "multicast"), ("240.0.0.1", "reserved"),
    ("::ffff:127.0.0.1", "loopback"), ("100.64.0.1", "not a public"),
    ("2002:7f00:1::", "loopback"), ("2002:a9fe:a9fe::", "link-local"), ("fec0::1", "site-local"),
    ("192.0.0.8", "not a public"), ("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"),
    ("64:ff9b::7f00:1", "loopback"),
])
def test_non_public_addresses_are_refused(address, kind):
    reason = refusal(address)
    assert reason is not None and kind in reason


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700:4700::1111", "8.8.8.8"])
def test_public_addresses_pass(address):
    assert refusal(address) is None


def resolver_of(table: dict[str, list[str]]):
    return lambda host, port: table[host]


def test_a_name_resolving_to_a_private_address_is_refused():
    resolve = resolver_of({"intranet.example": ["93.184.216.34", "10.0.0.7"]})
    with pytest.raises(FetchRefused, match="private"):
        checked_address("http://intranet.example/page", resolve)


@pytest.mark.parametrize("url, message", [
    ("file:///etc/passwd", "only http and https"),
    ("gopher://example.org/", "only http and https"),
    ("http://user:pw@example.org/", "credentials"),
    ("http:///nohost", "no host"),
    ("http://example.org:99999/", "invalid port"),
])
def test_malformed_or_unsafe_urls_are_refused(url, message):
    with pytest.raises(FetchRefused, match=message):
        checked_address(url, resolver_of({"example.org": ["93.184.216.34"]}))


def test_literal_loopback_url_is_refused_without_a_lookup():
    with pytest.raises(FetchRefused, match="loopback"):
        fetch.fetch("http://127.0.0.1:9/", **LIMITS)
    with pytest.raises(FetchRefused, match="loopback"):
        fetch.fetch("http://[::1]:9/", **LIMITS)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802  (http.server's naming)
        routes = {
            "/article": (200, {"Content-Type": "text/html"}, b"<html><body><p>Hello.</p></body></html>"),
            "/large": (200, {"Content-Type": "text/plain"}, b"x" * 5000),
            "/to-internal": (302, {"Location": "http://internal.test/secret"}, b""),
            "/hop": (302, {"Location": "/article"}, b""),
            "/loop": (302, {"Location": "/loop"}, b""),
        }
        if self.path == "/trickle":  # one byte every 0.2 s: each read is within any socket timeout
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(1000):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)
            return
        status, headers, body = routes.get(self.path, (404, {}, b""))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_server(monkeypatch) -> Iterator[str]:
    """A loopback HTTP server that fetch may reach: only 127.0.0.1 is allowed, for this test."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    real = fetch.refusal
    monkeypatch.setattr(fetch, "refusal", lambda a: None if a == "127.0.0.1" else real(a))
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_fetch_reads_a_page_and_follows_a_checked_redirect(local_server):
    result = fetch.fetch(f"{local_server}/hop", **LIMITS)
    assert result.url.endswith("/article") and b"Hello." in result.body
    assert result.content_type == "text/html"


def test_a_redirect_to_a_private_address_is_refused(local_server, monkeypatch):
    table = {"internal.test": ["10.0.0.8"], "127.0.0.1": ["127.0.0.1"]}
    with pytest.raises(FetchRefused, match="private"):
        fetch.fetch(f"{local_server}/to-internal", resolver=lambda h, p: table[h], **LIMITS)


def test_bodies_over_the_cap_and_redirect_loops_are_refused(local_server):
    with pytest.raises(FetchRefused, match="limit"):
        fetch.fetch(f"{local_server}/large", **LIMITS)
    with pytest.raises(FetchRefused, match="redirected more than 2"):
        fetch.fetch(f"{local_server}/loop", **LIMITS)
    with pytest.raises(FetchRefused, match="HTTP 404"):
        fetch.fetch(f"{local_server}/missing", **LIMITS)


def test_a_trickling_server_is_cut_at_the_total_deadline(local_server):
    started = time.monotonic()
    with pytest.raises(FetchRefused, match="longer than"):
        fetch.fetch(f"{local_server}/trickle", **{**LIMITS, "timeout": 1.0})
    assert time.monotonic() - started < 2.5


def test_the_api_fetches_only_when_allowed_and_reports_refusals(make_client):
    client = make_client(allow_fetch=True)
    response = client.post("/api/analyze/fetch", json={"fetch_url": "http://169.254.169.254/latest/meta-data/"})
    assert response.status_code == 422
    assert "link-local" in response.json()["error"]["message"]
