"""Reads of the corpus shared by the corpus pages and their JSON twins: search, stories,
copies and statistics.

Only the corpus package's public read API is used (``store``, ``stories``, ``republication``,
``stats``; docs/corpus.md); a server started without ``--db`` answers every corpus request with
one sentence saying how to open one.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import partial
from typing import Annotated, Any

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .errors import ApiError
from .workbench import Corpus, Workbench

MAX_PAGE = 10_000
MAX_ID = 2**63 - 1  # SQLite's largest integer: a bigger id is a 422, not a 500
ItemId = Annotated[int, Path(ge=0, le=MAX_ID, description="A stored item's id.")]
StoryId = Annotated[int, Path(ge=0, le=MAX_ID, description="A story's id.")]


class CorpusFilters(BaseModel):
    """The filters every corpus listing takes, and the page wanted."""

    model_config = ConfigDict(extra="forbid")

    outlet: str | None = Field(None, max_length=500)
    language: str | None = Field(None, max_length=16)
    since: dt.date | None = Field(None, description="Published on or after (YYYY-MM-DD).")
    until: dt.date | None = Field(None, description="Published on or before (YYYY-MM-DD).")
    page: int = Field(1, ge=1, le=MAX_PAGE)

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        """A form's empty fields ("since=") mean no filter, not an invalid one."""
        return None if isinstance(value, str) and not value.strip() else value

    def filters(self) -> dict[str, str]:
        names = [n for n in ("outlet", "language", "technique", "narrative") if n in type(self).model_fields]
        found = {n: v for n in names if (v := (getattr(self, n) or "").strip())}
        return {**found, **{n: d.isoformat() for n in ("since", "until") if (d := getattr(self, n))}}

    def link(self, page: int) -> str:
        """The query string of another page of the same search."""
        from urllib.parse import urlencode

        params = {k: v for k, v in self.model_dump(mode="json").items() if v not in (None, "") and k != "page"}
        return "?" + urlencode({**params, "page": page})


class SearchQuery(CorpusFilters):
    """Search terms (FTS5 syntax or plain words), filters and the page wanted."""

    q: str | None = Field(None, max_length=500, description="Words, \"a phrase\", AND/OR/NOT, prefix*.")
    technique: str | None = Field(None, max_length=200, description="Items with this technique label.")
    narrative: str | None = Field(None, max_length=200, description="Items with this narrative label.")


class StoriesQuery(CorpusFilters):
    """Which stories to list: those with items matching the filters, largest first."""

    min_items: int = Field(2, ge=1, le=MAX_PAGE, description="Hide stories with fewer items.")


class StatsQuery(CorpusFilters):
    """Counts of items by one label dimension against outlet or month (see corpus.stats)."""

    technique: str | None = Field(None, max_length=200)
    narrative: str | None = Field(None, max_length=200)


def corpus(bench: Workbench) -> Corpus:
    if bench.corpus is None:
        raise ApiError(404, "no-corpus", "this server has no corpus open; start it with "
                       "'newsforensics serve --db corpus.db' (build one with 'newsforensics ingest')")
    return bench.corpus


def store(bench: Workbench) -> Any:
    return corpus(bench).store


def search(bench: Workbench, query: SearchQuery) -> Any:
    size = bench.settings.limits.search_page_size
    return store(bench).search(query.q, limit=size, offset=(query.page - 1) * size, **query.filters())


def stories(bench: Workbench, query: StoriesQuery) -> list[dict[str, Any]]:
    from ..corpus import stories as story_index

    size = bench.settings.limits.search_page_size
    return list(story_index.stories(store(bench).conn, min_items=query.min_items, limit=size,
                                    offset=(query.page - 1) * size, **query.filters()))


def story(bench: Workbench, story_id: int, page: int = 1) -> dict[str, Any]:
    """One story with one page of its items by time, each copy's strongest source among them,
    and its denials (``items_page`` says which page of how many); built once for each version
    of the store (callers must not change it)."""
    return corpus(bench).keep(("story", story_id, page), partial(_story, bench, story_id, page))


def story_json(bench: Workbench, story_id: int, page: int = 1) -> bytes:
    """:func:`story` as JSON, encoded once for each version of the store."""
    return corpus(bench).keep(("story.json", story_id, page), lambda: json_bytes(story(bench, story_id, page)))


def cached_story_json(bench: Workbench, story_id: int, page: int = 1) -> bytes | None:
    """:func:`story_json` if it is built for the store as it is, else None (without a query)."""
    return corpus(bench).cached(("story.json", story_id, page))  # type: ignore[no-any-return]


def json_bytes(value: Any) -> bytes:
    """JSON as ``JSONResponse`` writes it (UTF-8, no spaces)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def _story(bench: Workbench, story_id: int, page: int) -> dict[str, Any]:
    from ..corpus import republication
    from ..corpus import stories as story_index

    conn = store(bench).conn
    size = bench.settings.limits.story_page_size
    found = story_index.story(conn, story_id, limit=size, offset=(page - 1) * size)
    if found is None:
        raise ApiError(404, "not-found", f"story {story_id} was not found")
    found["items_page"] = {"page": page, "size": size, "pages": max(1, -(-found["n_items"] // size))}
    members = [m["item_id"] for m in found["items"]]
    found["copies"] = list(republication.copy_pairs(conn, sources_among=members))
    found["denials"] = [m for m in found["items"] if m.get("role") == "denial"]
    return found


def copies(bench: Workbench, item_id: int | None, page: int) -> list[dict[str, Any]]:
    from ..corpus import republication

    size = bench.settings.limits.search_page_size
    return list(republication.copy_pairs(store(bench).conn, item_id=item_id, limit=size,
                                         offset=(page - 1) * size))


# Label dimensions charted against outlet and month on the statistics page.
STATS_LABELS = ("technique", "narrative")
STATS_AGAINST = ("outlet", "month")


def stats(bench: Workbench, query: StatsQuery) -> dict[str, list[dict[str, Any]]]:
    """Item counts for each label dimension × (outlet, month), plus items per outlet and month."""
    from ..corpus import stats as corpus_stats

    conn = store(bench).conn
    filters = query.filters()
    tables = {f"{label}_by_{against}": corpus_stats.table(conn, (label, against), **filters).to_dicts()
              for label in STATS_LABELS for against in STATS_AGAINST}
    tables["items_by_month"] = corpus_stats.table(conn, ("month",), **filters).to_dicts()
    tables["items_by_outlet"] = corpus_stats.table(conn, ("outlet",), **filters).to_dicts()
    return tables
