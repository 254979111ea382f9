"""Optional URL fetching for the analyse page, safe against server-side request forgery.

Off unless the server was started with ``--allow-fetch``. When on, a URL is fetched only if
every address its host resolves to is a public (globally routable) one: loopback, private,
link-local (cloud metadata at 169.254.169.254), multicast, reserved and unspecified addresses
are refused *after* DNS resolution, and the connection goes to the very address that was
checked, so a second lookup cannot rebind it. Redirects are followed by hand, each hop checked
the same way; the body is capped in bytes and the whole fetch in time.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ..errors import InputError

Resolver = Callable[[str, int], list[str]]


class FetchRefused(InputError):
    """The URL may not or could not be fetched; the message says which and why."""


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    body: bytes
    content_type: str | None


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchRefused(f"cannot resolve {host!r}: {exc.strerror or exc}") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


# Ranges Python's ipaddress counts as global but that are not publicly routable: the IETF
# protocol block (192.0.0.8 and its neighbours) and the deprecated IPv6 site-local block.
_NOT_PUBLIC = tuple(ipaddress.ip_network(n) for n in ("192.0.0.0/24", "fec0::/10"))
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _addresses_within(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The address and every IPv4 address it carries (mapped, 6to4, Teredo, NAT64): a wrapped
    loopback or link-local address is as private as the bare one."""
    found: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = []
    if isinstance(ip, ipaddress.IPv6Address):
        found += [a for a in (ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())) if a is not None]
        if ip in _NAT64:
            found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return [*found, ip]  # the carried address first: its reason is the telling one


def refusal(address: str) -> str | None:
    """Why an address may not be fetched from, or None for a public one."""
    for ip in _addresses_within(ipaddress.ip_address(address.split("%", 1)[0])):
        shown = address if str(ip) == address else f"{address} (carrying {ip})"
        # most specific first: Python counts link-local, unspecified and reserved ranges as private too
        for kind in ("loopback", "link_local", "unspecified", "multicast", "reserved", "private", "site_local"):
            if getattr(ip, f"is_{kind}", False):
                return f"{shown} is a {kind.replace('_', '-')} address"
        if not ip.is_global or any(ip in net for net in _NOT_PUBLIC):
            return f"{shown} is not a public address"
    return None


def checked_address(url: str, resolver: Resolver) -> tuple[str, str, int, str]:
    """(scheme, host, port, the one public address to connect to) or FetchRefused."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchRefused(f"only http and https URLs can be fetched, not {parts.scheme or 'no scheme'!r}")
    if not parts.hostname:
        raise FetchRefused(f"{url!r} has no host")
    if parts.username or parts.password:
        raise FetchRefused("URLs with credentials are not fetched")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchRefused(f"{url!r} has an invalid port") from None
    addresses = resolver(parts.hostname, port)
    if not addresses:
        raise FetchRefused(f"{parts.hostname!r} resolves to no address")
    for address in addresses:
        reason = refusal(address)
        if reason:
            raise FetchRefused(f"refusing to fetch {parts.hostname!r}: {reason}")
    return parts.scheme, parts.hostname, port, addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address while sending the URL's own Host header."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # the deadline can cut the handshake  # type: ignore[attr-defined]


def fetch(url: str, *, max_bytes: int, timeout: float, max_redirects: int, user_agent: str,
          resolver: Resolver = system_resolver) -> Fetched:
    """GET one public URL, following at most ``max_redirects`` checked redirects, all within
    ``timeout`` seconds in total: a watchdog closes the socket at the deadline, so a server that
    trickles one byte a second (each read within the socket timeout) cannot hold a fetch longer."""
    deadline = time.monotonic() + timeout
    for _hop in range(max_redirects + 1):
        scheme, host, port, address = checked_address(url, resolver)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchRefused(f"fetching {url} took longer than {timeout:.0f} s")
        cls = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        conn = cls(host, port, address, remaining)
        watchdog = threading.Timer(remaining, _cut, (conn,))
        watchdog.daemon = True
        watchdog.start()
        parts = urlsplit(url)
        try:
            conn.request("GET", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
                         headers={"User-Agent": user_agent, "Accept": "text/html,text/plain;q=0.9"})
            response = conn.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("location"):
                url = urljoin(url, response.getheader("location") or "")
                continue
            if response.status != 200:
                raise FetchRefused(f"{url} answered HTTP {response.status}")
            declared = response.getheader("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchRefused(f"{url} is {int(declared) // 1024} KB; the limit is {max_bytes // 1024} KB")
            body = _read_capped(response, max_bytes, deadline, url)
            return Fetched(url, body, response.getheader("content-type"))
        except (OSError, http.client.HTTPException, ValueError, AttributeError) as exc:
            if time.monotonic() >= deadline:
                raise FetchRefused(f"fetching {url} took longer than {timeout:.0f} s") from None
            raise FetchRefused(f"fetching {url} failed: {exc}") from None
        finally:
            watchdog.cancel()
            conn.close()
    raise FetchRefused(f"{url} redirected more than {max_redirects} times")


def _cut(conn: http.client.HTTPConnection) -> None:
    """The deadline passed: wake whatever read or connect is blocked on the socket."""
    sock = conn.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _read_capped(response: http.client.HTTPResponse, max_bytes: int, deadline: float, url: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(65536):
        size += len(chunk)
        if size > max_bytes:
            raise FetchRefused(f"{url} is larger than the limit of {max_bytes // 1024} KB")
        if time.monotonic() > deadline:
            raise FetchRefused(f"fetching {url} took longer than the time limit")
        chunks.append(chunk)
    if time.monotonic() >= deadline:  # the watchdog shut the socket: what came is not the page
        raise FetchRefused(f"fetching {url} took longer than the time limit")
    return b"".join(chunks)
