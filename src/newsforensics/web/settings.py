"""How one workbench server is configured: where it listens, who may use it, its limits.

The limits live in ``data/web.toml``; the rest comes from ``newsforensics serve``'s options.
Binding to anything but loopback requires a token: the workbench runs analyses on demand and
shows a private corpus, so it must never be open to the network by accident.
"""

from __future__ import annotations

import ipaddress
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ConfigError

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


@lru_cache(maxsize=1)
def limits_file() -> dict[str, Any]:
    return tomllib.loads(resources.files(__package__).joinpath("data/web.toml").read_text("utf-8"))


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int
    analyse_per_minute: float
    analyse_burst: int
    cached_dossiers: int
    analyse_max_chars: int
    analyse_seconds: float
    fetch_timeout: float
    fetch_max_bytes: int
    fetch_max_redirects: int
    fetch_user_agent: str
    fetch_workers: int
    search_page_size: int
    story_page_size: int
    cached_pages: int

    @classmethod
    def from_file(cls, **overrides: Any) -> Limits:
        data = limits_file()
        values = {
            **data["limits"],
            **{f"fetch_{k}".replace("_seconds", ""): v for k, v in data["fetch"].items()},
            **data["pages"],
        }
        values.update(overrides)
        return cls(**values)


@dataclass(frozen=True)
class WebSettings:
    """Everything ``create_app`` needs; validated so that a bad combination fails at startup."""

    host: str = "127.0.0.1"
    port: int = 8000
    db: Path | None = None
    token: str | None = None
    allow_fetch: bool = False
    warm_up: bool = True
    limits: Limits = field(default_factory=Limits.from_file)

    def __post_init__(self) -> None:
        if not self.loopback and not self.token:
            raise ConfigError(
                f"binding to {self.host} exposes the workbench beyond this machine; "
                "give --token (or NEWSFORENSICS_TOKEN) so that every request must carry it"
            )
        if self.token is not None and len(self.token) < 16:
            raise ConfigError("the access token must be at least 16 characters long")

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    @property
    def allowed_hosts(self) -> list[str] | None:
        """Host headers accepted; None accepts any (a token guards a non-loopback bind).

        On loopback only loopback names are accepted (the usual ones and the address bound, such
        as 127.0.0.2), so a web page that rebinds its own domain to 127.0.0.1 (DNS rebinding)
        cannot read the API from a browser.
        """
        return list(dict.fromkeys([*LOOPBACK_NAMES, self.host.strip("[]")])) if self.loopback else None
