"""Reads of the corpus store shared by the corpus pages and their JSON twins.

Only the store's public read API is used (``corpus/store.py``, docs/corpus.md); a server
started without ``--db`` answers every corpus request with one sentence saying how to open one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .errors import ApiError
from .workbench import Workbench

MAX_PAGE = 10_000


class SearchQuery(BaseModel):
    """Search terms (FTS5 syntax or plain words), filters and the page wanted."""

    model_config = ConfigDict(extra="forbid")

    q: str | None = Field(None, max_length=500, description="Words, \"a phrase\", AND/OR/NOT, prefix*.")
    outlet: str | None = Field(None, max_length=500)
    language: str | None = Field(None, max_length=16)
    since: dt.date | None = Field(None, description="Published on or after (YYYY-MM-DD).")
    until: dt.date | None = Field(None, description="Published on or before (YYYY-MM-DD).")
    technique: str | None = Field(None, max_length=200, description="Items with this technique label.")
    narrative: str | None = Field(None, max_length=200, description="Items with this narrative label.")
    page: int = Field(1, ge=1, le=MAX_PAGE)

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        """A form's empty fields ("since=") mean no filter, not an invalid one."""
        return None if isinstance(value, str) and not value.strip() else value

    def filters(self) -> dict[str, str]:
        names = ("outlet", "language", "technique", "narrative")
        found = {n: v for n in names if (v := (getattr(self, n) or "").strip())}
        return {**found, **{n: d.isoformat() for n in ("since", "until") if (d := getattr(self, n))}}

    def link(self, page: int) -> str:
        """The query string of another page of the same search."""
        from urllib.parse import urlencode

        params = {k: v for k, v in self.model_dump(mode="json").items() if v not in (None, "") and k != "page"}
        return "?" + urlencode({**params, "page": page})


def store(bench: Workbench) -> Any:
    if bench.corpus is None:
        raise ApiError(404, "no-corpus", "this server has no corpus open; start it with "
                       "'newsforensics serve --db corpus.db' (build one with 'newsforensics ingest')")
    return bench.corpus.store


def search(bench: Workbench, query: SearchQuery) -> Any:
    size = bench.settings.limits.search_page_size
    return store(bench).search(query.q, limit=size, offset=(query.page - 1) * size, **query.filters())
