"""The store's read queries: search, filters, item summaries and dossiers, and the indexes'
readers (copies, stories), over one SQLite connection.

They are apart from the writer (:class:`newsforensics.corpus.store.Store`, which extends
:class:`Reader`) so that a reader — the workbench, statistics, a report — needs neither the
writer's index steps nor a write connection: ``Reader(Store.connect(path))``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from ..document import Document
from ..errors import InputError
from ..serialize import from_dict

# Highlight markers around matched terms in search snippets: plain characters (not HTML) that
# never occur in news text, so a terminal shows them and a web page escapes, then replaces them.
MARK_START, MARK_END = "\u27e6", "\u27e7"  # ⟦ ⟧
SNIPPET_TOKENS = 16


class StoreError(InputError):
    """The store file cannot be used (not a database, newer schema, bad query)."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    item_id: int
    title: str | None
    outlet: str | None
    published: str | None
    language: str | None
    url: str | None
    snippet: str  # matched terms between MARK_START and MARK_END
    score: float | None  # bm25 (lower is better), None for a filter-only listing


@dataclass(frozen=True, slots=True)
class SearchPage:
    total: int
    hits: list[SearchHit] = field(default_factory=list)
    query: str | None = None
    limit: int = 20
    offset: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "total": self.total, "limit": self.limit, "offset": self.offset,
                "hits": [asdict(h) for h in self.hits]}


def split_marked(snippet: str) -> list[tuple[str, bool]]:
    """A snippet as ``(text, is_match)`` pieces, for renderers that highlight matches."""
    pieces: list[tuple[str, bool]] = []
    for i, part in enumerate(re.split(f"[{MARK_START}{MARK_END}]", snippet)):
        if part:
            pieces.append((part, i % 2 == 1))
    return pieces


def iso_date(value: str | None) -> str | None:
    """The ISO date (YYYY-MM-DD) of a published value, or None if it is not one."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


class Reader:
    """The read API of a corpus database (stable: see docs/corpus.md)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def count(self, **filters: Any) -> int:
        """How many items match the filters of :meth:`search` (all items without filters)."""
        where, params = _filters(**filters)
        return int(self.conn.execute(f"SELECT count(*) FROM items i WHERE {where}", params).fetchone()[0])

    def item(self, item_id: int) -> dict[str, Any] | None:
        """The item's dossier (as ``serialize.to_dict`` gave it) plus ``item_id``; None if absent."""
        row = self.conn.execute("SELECT item_id, dossier FROM dossiers WHERE item_id = ?",
                                (item_id,)).fetchone()
        if row is None:
            return None
        return {"item_id": row["item_id"], **json.loads(zlib.decompress(row["dossier"]))}

    def document(self, item_id: int) -> Document | None:
        """The item rebuilt as a Document (for re-analysis or reports)."""
        data = self.item(item_id)
        return from_dict(data) if data is not None else None

    def items(self, *, after_id: int = 0, limit: int | None = None, **filters: Any) -> Iterator[dict[str, Any]]:
        """Item summaries (no dossier) in ingest order, streamed; ``after_id`` pages through them."""
        where, params = _filters(**filters)
        sql = (f"SELECT {SUMMARY_COLUMNS} FROM items i WHERE {where} AND i.item_id > ? "
               "ORDER BY i.item_id")
        params.append(after_id)
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        for row in self.conn.execute(sql, params):
            yield dict(row)

    def search(self, query: str | None = None, *, limit: int = 20, offset: int = 0,
               **filters: Any) -> SearchPage:
        """Full-text search (FTS5 syntax; plain words also work) within the filters.

        Filters: ``outlet``, ``language``, ``since``, ``until`` (ISO dates, inclusive),
        ``technique`` and ``narrative`` (a span label of that layer). Without a query it lists
        the matching items, newest first. Hits are ranked by bm25.
        """
        limit, offset = max(0, min(int(limit), 1000)), max(0, int(offset))
        where, params = _filters(**filters)
        if not (query and query.strip()):
            total = self.count(**filters)
            # The page's items first (index items_newest), then the text of those items only.
            rows = self.conn.execute(
                f"SELECT {SUMMARY_COLUMNS}, (SELECT substr(f.text, 1, 240) FROM items_fts f WHERE f.rowid ="
                f" i.item_id) AS snippet, NULL AS score FROM (SELECT * FROM items i WHERE {where}"
                f" ORDER BY {NEWEST} LIMIT ? OFFSET ?) i ORDER BY {NEWEST}",
                [*params, limit, offset]).fetchall()
            return SearchPage(total, [_hit(r) for r in rows], None, limit, offset)
        try:
            return self._match(query, where, params, limit, offset, query)
        except sqlite3.OperationalError:  # not FTS5 syntax ("unbalanced, col:umn, *): plain words
            return self._match(_quoted_terms(query), where, params, limit, offset, query)

    def _match(self, match: str, where: str, params: list[Any], limit: int, offset: int,
               query: str) -> SearchPage:
        base = f"FROM items_fts f JOIN items i ON i.item_id = f.rowid WHERE items_fts MATCH ? AND {where}"
        counted = base if params else "FROM items_fts WHERE items_fts MATCH ?"  # no filter: no join
        total = int(self.conn.execute(f"SELECT count(*) {counted}", [match, *params]).fetchone()[0])
        rows = self.conn.execute(
            f"SELECT {SUMMARY_COLUMNS}, snippet(items_fts, -1, ?, ?, '…', {SNIPPET_TOKENS}) AS snippet,"
            f" bm25(items_fts, 2.0, 1.0) AS score {base} ORDER BY score, i.item_id LIMIT ? OFFSET ?",
            [MARK_START, MARK_END, match, *params, limit, offset]).fetchall()
        return SearchPage(total, [_hit(r) for r in rows], query, limit, offset)

    # --- the indexes' readers (stable names; the modules hold the logic) ---------------------

    def copies(self, **options: Any) -> list[dict[str, Any]]:
        """Copy pairs: see :func:`newsforensics.corpus.republication.copy_pairs`."""
        from .republication import copy_pairs

        return list(copy_pairs(self.conn, **options))

    def chains(self, **options: Any) -> list[Any]:
        """Copy chains by time: see :func:`newsforensics.corpus.republication.copy_chains`."""
        from .republication import copy_chains

        return list(copy_chains(self.conn, **options))

    def stories(self, **options: Any) -> list[dict[str, Any]]:
        """Story summaries: see :func:`newsforensics.corpus.stories.stories`."""
        from .stories import stories

        return list(stories(self.conn, **options))

    def story(self, story_id: int) -> dict[str, Any] | None:
        """One story with its items by time: see :func:`newsforensics.corpus.stories.story`."""
        from .stories import has_index, story

        return story(self.conn, story_id) if has_index(self.conn) else None

    def outlets(self) -> list[tuple[str | None, int]]:
        """Outlets and their item counts, largest first (for facets and filters)."""
        return [(r[0], r[1]) for r in self.conn.execute(
            "SELECT outlet, count(*) AS n FROM items GROUP BY outlet ORDER BY n DESC, outlet")]


NEWEST = "i.published IS NULL, i.published DESC, i.item_id DESC"  # the order of index items_newest
SUMMARY_COLUMNS = ("i.item_id, i.title, i.outlet, i.published, i.language, i.url, i.source,"
                   " i.chars, i.published_source")


def _hit(row: sqlite3.Row) -> SearchHit:
    return SearchHit(row["item_id"], row["title"], row["outlet"], row["published"], row["language"],
                     row["url"], row["snippet"] or "", row["score"])


def _quoted_terms(query: str) -> str:
    """A query that FTS5 syntax rejected, as plain words that must all occur."""
    words = re.findall(r"\w+", query)
    return " ".join('"' + w + '"' for w in words) if words else '""'


FILTER_NAMES = ("outlet", "language", "since", "until", "technique", "narrative")


def _filters(*, outlet: str | None = None, language: str | None = None, since: str | None = None,
             until: str | None = None, technique: str | None = None,
             narrative: str | None = None) -> tuple[str, list[Any]]:
    """The SQL condition (over ``items i``) and parameters of the search filters."""
    clauses, params = ["1"], []
    if outlet:
        clauses.append("i.outlet = ?")
        params.append(outlet)
    if language:
        clauses.append("i.language = ?")
        params.append(language)
    for name, value, op in (("since", since, ">="), ("until", until, "<=")):
        if value:
            day = iso_date(str(value))
            if day is None:
                raise StoreError(f"{name} {value!r} is not an ISO date (use YYYY-MM-DD)")
            clauses.append(f"i.published {op} ?")
            params.append(day)
    for layer, label in (("techniques", technique), ("narratives", narrative)):
        if label:
            clauses.append("EXISTS (SELECT 1 FROM spans s WHERE s.item_id = i.item_id "
                           "AND s.layer = ? AND s.label = ?)")
            params += [layer, label]
    return " AND ".join(clauses), params
