"""Host and domain normalisation for outlet lookups.

Rating sets list bare registrable domains (``rt.com``) as well as sub-domains
(``fr.sputniknews.com``, ``willyloman.wordpress.com``), so a lookup tries the full host first and
the registrable domain second. The registrable domain comes from courlan (already installed with
trafilatura), whose public-suffix list ships inside the package: no network at run time.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_HOST = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$")
_STRIPPED_PREFIXES = ("www.", "www1.", "www2.", "m.", "mobile.", "amp.")


def normalise_host(value: str | None) -> str | None:
    """The lower-case host of a URL or bare domain, without ``www.``-like prefixes; None if it
    is not a host name (a path, free text, an IP-less garbage string)."""
    if not value:
        return None
    value = value.strip()
    if not _SCHEME.match(value):
        value = "http://" + value
    try:
        host = urlsplit(value).hostname
    except ValueError:
        return None
    if not host:
        return None
    try:
        host = host.encode("idna").decode("ascii").lower().rstrip(".")
    except UnicodeError:
        return None
    for prefix in _STRIPPED_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix):]
            break
    return host if _HOST.match(host) else None


def registrable_domain(host: str) -> str:
    """``fr.sputniknews.com`` → ``sputniknews.com``; the host itself when the suffix list has
    no answer."""
    from courlan import extract_domain

    return extract_domain(f"http://{host}/", fast=True) or host


def lookup_keys(value: str | None) -> list[str]:
    """The keys to try for a URL or domain, most specific first (a blog on a shared host such
    as wordpress.com never inherits the host's profile)."""
    host = normalise_host(value)
    if host is None:
        return []
    from .config import settings

    keys = [host]
    domain = registrable_domain(host)
    if domain != host and domain not in settings().shared_hosts:
        keys.append(domain)
    return keys
