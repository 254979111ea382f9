"""What an analysis request may carry, shared by the JSON API and the analyse form.

An item comes as pasted text (plain text, HTML or a JSON record), an uploaded file, or, only
when the server allows it, a URL to fetch. Exactly one of them; the hints (kind, title, outlet,
published, language, url) are what the analyst knows and win over what is read from the item.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import Form, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..ingest import KINDS
from .errors import ApiError

Kind = Literal["auto", "html", "text", "json"]
assert set(KINDS) == {"auto", "html", "text", "json"}, "web.inputs.Kind is out of date with ingest.KINDS"
SHORT = 2000  # longest hint accepted (titles, URLs, outlets)


class Hints(BaseModel):
    """What the analyst knows about the item; each wins over what is read from it."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind = Field("auto", description="How to read the item; auto guesses from its content.")
    url: str | None = Field(None, max_length=SHORT, description="Where the item was published.")
    title: str | None = Field(None, max_length=SHORT)
    outlet: str | None = Field(None, max_length=SHORT, description="A domain or an outlet name.")
    published: dt.date | dt.datetime | None = Field(None, description="ISO date (YYYY-MM-DD) or datetime.")
    language: str | None = Field(None, max_length=16, description="ISO 639-1 code, e.g. en.")

    @field_validator("url", "title", "outlet", "language", "published", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        """A form's empty fields mean "not known", not an invalid value."""
        return (value.strip() or None) if isinstance(value, str) else value

    def library_hints(self, source_name: str) -> dict[str, Any]:
        published = self.published.isoformat() if self.published else None
        return {**self.model_dump(), "published": published, "source_name": source_name}


def form_hints(
    kind: Annotated[Kind, Form()] = "auto",
    url: Annotated[str | None, Form(max_length=SHORT)] = None,
    title: Annotated[str | None, Form(max_length=SHORT)] = None,
    outlet: Annotated[str | None, Form(max_length=SHORT)] = None,
    published: Annotated[dt.date | dt.datetime | None, Form()] = None,
    language: Annotated[str | None, Form(max_length=16)] = None,
) -> Hints:
    """The hints of a multipart form (the analyse page, the upload API), as a dependency."""
    return Hints(kind=kind, url=url, title=title, outlet=outlet, published=published, language=language)


class AnalyzeRequest(Hints):
    """One item to analyse, given as its text."""

    text: str = Field(min_length=1, pattern=r"\S",
                      description="The item itself: plain text, HTML or a JSON record.")


class FetchRequest(Hints):
    """One item to fetch from a public http(s) URL and analyse (needs ``serve --allow-fetch``)."""

    fetch_url: str = Field(min_length=1, max_length=SHORT, description="The item's http(s) URL.")


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def check_rate(request: Request) -> None:
    """Refuse an analysis over the client's rate with a 429 and Retry-After."""
    wait = request.app.state.workbench_limiter.allow(client_of(request))
    if wait > 0:
        seconds = max(1, int(wait + 0.999))
        raise ApiError(429, "rate-limited", f"too many analyses from {client_of(request)}; "
                       f"try again in {seconds} s", headers={"Retry-After": str(seconds)})


async def item_source(request: Request, *, text: str | None, upload: bytes | None,
                      upload_name: str | None, fetch_url: str | None) -> tuple[bytes | str, str, str | None]:
    """(the raw item, its source name, the URL it was fetched from) from exactly one input."""
    given = [name for name, value in (("text", text and text.strip()), ("file", upload),
                                      ("fetch_url", fetch_url and fetch_url.strip())) if value]
    if len(given) != 1:
        raise ApiError(422, "one-input", "give exactly one of: pasted text, an uploaded file, a URL "
                       f"to fetch (got {', '.join(given) if given else 'none'})")
    if text and text.strip():
        return text, "pasted", None
    if upload:
        return upload, f"upload:{(upload_name or 'file')[:200]}", None
    assert fetch_url is not None
    settings = request.app.state.workbench.settings
    if not settings.allow_fetch:
        raise ApiError(403, "fetch-disabled", "URL fetching is off on this server; paste the item, "
                       "or restart with 'newsforensics serve --allow-fetch'")
    limits = settings.limits
    fetched = await request.app.state.workbench.off_the_read_path(
        request.app.state.fetcher, fetch_url.strip(), max_bytes=limits.fetch_max_bytes,
        timeout=limits.fetch_timeout, max_redirects=limits.fetch_max_redirects,
        user_agent=limits.fetch_user_agent)
    return fetched.body, fetched.url, fetched.url
