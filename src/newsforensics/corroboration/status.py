"""Each claim across the corpus: who reports it, how many independently, who denies it.

Claims of different items are the same claim when their embeddings are close (closer still
when no place or number backs the match), and never when their numbers disagree; matches join
into claim groups. Within a group, reports are independent unless they are copies (the store's
republication index), come from the same outlet, quote the same named speaker, or credit the
same news agency: each of those is one origin however many items repeat it. Denials (``claim_denials``) attach to every
group whose claims their denied proposition matches. A group's status is ``denied`` when anyone
denies or refutes it, else ``corroborated`` with two or more independent origins, else
``single-source``; every status carries its evidence (items, outlets, dates, speakers).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from ..models import multilingual
from .index import has_index, unpack

STATUSES = ("single-source", "corroborated", "denied")
VECTOR_BYTES = 2 * multilingual.EMBEDDING_DIM  # float16


@lru_cache(maxsize=1)
def settings() -> dict[str, Any]:
    return tomllib.loads(resources.files(__package__).joinpath("data/corroboration.toml").read_text("utf-8"))


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass(slots=True)
class _Row:
    item_id: int
    row_id: str
    text: str
    who: str | None
    cues: dict[str, list[Any]]
    outlet: str | None
    published: str | None
    url: str | None
    extra: dict[str, Any] = field(default_factory=dict)


def _items_sql(conn: sqlite3.Connection) -> str:
    """The item columns, with the outlet the sources step identified when the item gave none."""
    has_sources = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'item_sources'").fetchone()
    if has_sources:
        return ("SELECT i.item_id, COALESCE(i.outlet, s.outlet) AS outlet, i.published, i.url "
                "FROM items i LEFT JOIN item_sources s ON s.item_id = i.item_id")
    return "SELECT item_id, outlet, published, url FROM items"


def _load(conn: sqlite3.Connection, table: str) -> tuple[list[_Row], np.ndarray]:
    items = {r[0]: r for r in conn.execute(_items_sql(conn))}
    if table == "claim_reports":
        sql = ("SELECT item_id, claim_id, text, speaker, cues_json, embedding, score FROM claim_reports "
               "ORDER BY item_id, claim_id")
    else:
        sql = ("SELECT item_id, denial_id, proposition, denier, cues_json, embedding, kind, cue, sentence, n "
               "FROM claim_denials ORDER BY item_id, denial_id, n")
    rows, blobs = [], []
    for r in conn.execute(sql):
        item = items.get(r[0])
        if item is None or len(r[5]) != VECTOR_BYTES:
            continue  # gone, or embedded by an earlier encoder (`reanalyse` recomputes it)
        extra = ({"score": r[6]} if table == "claim_reports"
                 else {"kind": r[6], "cue": r[7], "sentence": r[8], "n": r[9]})
        rows.append(_Row(r[0], r[1], r[2], r[3], json.loads(r[4]), item[1], item[2], item[3], extra))
        blobs.append(r[5])
    return rows, unpack(blobs)


def _shares_cue(a: dict[str, list[Any]], b: dict[str, list[Any]]) -> bool:
    return bool(set(a.get("places", ())) & set(b.get("places", ()))
                or set(a.get("numbers", ())) & set(b.get("numbers", ())))


def _numbers_conflict(a: dict[str, list[Any]], b: dict[str, list[Any]]) -> bool:
    na, nb = set(a.get("numbers", ())), set(b.get("numbers", ()))
    return bool(na and nb and not na & nb)


def _matches(rows_a: list[_Row], va: np.ndarray, rows_b: list[_Row], vb: np.ndarray,
             alone: float, with_cue: float, *, upper: bool) -> Iterable[tuple[int, int, float]]:
    """Pairs (i, j, cosine) of rows of different items that are the same proposition; with
    ``upper`` (a against itself) each pair once, computing only the upper triangle."""
    chunk = int(settings()["match"]["chunk"])
    for first in range(0, len(rows_a), chunk):
        offset = first if upper else 0
        sims = va[first:first + chunk] @ vb[offset:].T
        for i_local, j_local in zip(*np.nonzero(sims >= with_cue), strict=True):
            i, j = first + int(i_local), offset + int(j_local)
            if (upper and j <= i) or rows_a[i].item_id == rows_b[j].item_id:
                continue
            if _numbers_conflict(rows_a[i].cues, rows_b[j].cues):
                continue
            sim = float(sims[i_local, j_local])
            if sim >= alone or _shares_cue(rows_a[i].cues, rows_b[j].cues):
                yield i, j, sim


def _copy_links(conn: sqlite3.Connection) -> list[tuple[int, int]]:
    """(original, copy) pairs of the store's republication index, when it has one."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'copy_pairs'").fetchone():
        return []
    return [(int(a), int(b)) for a, b in conn.execute("SELECT original_id, copy_id FROM copy_pairs")]


def speaker_key(speaker: str | None) -> str | None:
    """A speaker that identifies one source, folded for comparison; None for vague ones
    ("local sources") and for the outlet's own voice."""
    if not speaker:
        return None
    key = " ".join(speaker.casefold().split())
    key = key.removeprefix("the ")
    return None if key in set(settings()["independence"]["vague_speakers"]) else key


@dataclass
class ClaimGroup:
    """One claim as the corpus holds it, with its status and evidence."""

    group_id: str
    text: str
    status: str
    reports: list[dict[str, Any]]
    origins: list[dict[str, Any]]
    denials: list[dict[str, Any]]

    @property
    def item_ids(self) -> set[int]:
        return {r["item_id"] for r in self.reports}

    def to_dict(self) -> dict[str, Any]:
        return {"group": self.group_id, "text": self.text, "status": self.status,
                "independent_sources": len(self.origins), "origins": self.origins,
                "reports": self.reports, "denials": self.denials}


def _origins(reports: list[_Row], copies: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """Independent origins of a group's reports: copies, one outlet, one named speaker, one
    credited agency each collapse into one origin."""
    index = {i: n for n, i in enumerate(sorted({r.item_id for r in reports}))}
    uf = _UnionFind(len(index))
    by_key: dict[tuple[str, str], int] = {}
    for r in reports:
        keys = [("outlet", r.outlet.casefold())] if r.outlet else []
        speaker = speaker_key(r.who)
        if speaker:
            keys.append(("speaker", speaker))
        keys += [("agency", agency) for agency in r.cues.get("credits", ())]
        for key in keys:
            if key in by_key:
                uf.union(by_key[key], index[r.item_id])
            else:
                by_key[key] = index[r.item_id]
    for a, b in copies:
        if a in index and b in index:
            uf.union(index[a], index[b])
    groups: dict[int, list[_Row]] = defaultdict(list)
    for r in reports:
        groups[uf.find(index[r.item_id])].append(r)
    origins = []
    for members in groups.values():
        speakers = sorted({r.who for r in members if speaker_key(r.who)})
        outlets = sorted({r.outlet for r in members if r.outlet})
        items = sorted({r.item_id for r in members})
        copied = sorted({b for a, b in copies if a in items and b in items})
        agencies = sorted({a for r in members for a in r.cues.get("credits", ())})
        origins.append({"speakers": speakers, "outlets": outlets, "agencies": agencies, "items": items,
                        "first_published": min((r.published for r in members if r.published), default=None),
                        "copies": copied})
    return sorted(origins, key=lambda o: (o["first_published"] or "9999", o["items"][0]))


def _days_between(first: str | None, later: str | None) -> int | None:
    try:
        return (dt.date.fromisoformat(later[:10]) - dt.date.fromisoformat(first[:10])).days  # type: ignore[index]
    except (TypeError, ValueError):
        return None


def _blocks(conn: sqlite3.Connection, claims: list[_Row]) -> list[list[int]]:
    """Which claims are compared with which: all with all (exact) up to ``block_above`` claims;
    above it, only within each story of the store's story index (claims of items without a
    story form one block), which keeps a large corpus near-linear at the cost of never
    merging one claim across two stories."""
    limit = int(settings()["match"]["block_above"])
    has_stories = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'story_items'").fetchone()
    if len(claims) <= limit or not has_stories:
        return [list(range(len(claims)))]
    story = dict(conn.execute("SELECT item_id, story_id FROM story_items").fetchall())
    by_story: dict[Any, list[int]] = defaultdict(list)
    for i, row in enumerate(claims):
        by_story[story.get(row.item_id)].append(i)
    # Small stories share a block up to one chunk: one mid-sized product is far cheaper than
    # thousands of tiny ones, and comparing a few extra claims only adds exactness.
    chunk = int(settings()["match"]["chunk"])
    blocks: list[list[int]] = [[]]
    for members in sorted(by_story.values(), key=len):
        if blocks[-1] and len(blocks[-1]) + len(members) > chunk:
            blocks.append([])
        blocks[-1].extend(members)
    return [b for b in blocks if b]


def claim_groups(conn: sqlite3.Connection) -> list[ClaimGroup]:
    """Every claim group of the corpus (see the module docstring), earliest first."""
    if not has_index(conn):
        return []
    cfg = settings()["match"]
    claims, vectors = _load(conn, "claim_reports")
    uf = _UnionFind(len(claims))
    for block in _blocks(conn, claims):
        rows, block_vectors = [claims[i] for i in block], vectors[block]
        for i, j, _ in _matches(rows, block_vectors, rows, block_vectors, cfg["same_claim"],
                                cfg["same_claim_with_cue"], upper=True):
            uf.union(block[i], block[j])
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(claims)):
        members[uf.find(i)].append(i)
    denials, d_vectors = _load(conn, "claim_denials")
    denied: dict[int, dict[tuple[int, str], tuple[_Row, float]]] = defaultdict(dict)
    for d, c, sim in _matches(denials, d_vectors, claims, vectors, cfg["denial_to_claim"],
                              cfg["denial_to_claim_with_cue"], upper=False):
        key = (denials[d].item_id, denials[d].row_id)
        root = uf.find(c)
        if key not in denied[root] or denied[root][key][1] < sim:
            denied[root][key] = (denials[d], sim)
    copies = _copy_links(conn)
    groups = []
    for root, rows in members.items():
        rows = sorted(rows, key=lambda i: (claims[i].published or "9999", claims[i].item_id))
        reports = [claims[i] for i in rows]
        first = reports[0]
        denial_rows = sorted(denied.get(root, {}).values(), key=lambda x: (x[0].published or "9999", x[0].item_id))
        origins = _origins(reports, copies)
        status = "denied" if denial_rows else ("corroborated" if len(origins) >= 2 else "single-source")
        groups.append(ClaimGroup(
            group_id=f"{first.item_id}:{first.row_id}", text=first.text, status=status,
            reports=[{"item_id": r.item_id, "claim": r.row_id, "text": r.text, "speaker": r.who,
                      "outlet": r.outlet, "published": r.published, "url": r.url,
                      "similarity": round(float(vectors[rows[0]] @ vectors[i]), 3)}
                     for i, r in zip(rows, reports, strict=True)],
            origins=origins,
            denials=[{"item_id": d.item_id, "denial": d.row_id, "kind": d.extra["kind"], "denier": d.who,
                      "cue": d.extra["cue"], "sentence": d.extra["sentence"], "denied": d.text,
                      "outlet": d.outlet, "published": d.published,
                      "days_after_first_report": _days_between(first.published, d.published),
                      "similarity": round(sim, 3)} for d, sim in denial_rows],
        ))
    return sorted(groups, key=lambda g: (g.reports[0]["published"] or "9999", g.reports[0]["item_id"]))


def query(conn: sqlite3.Connection, *, status: str | None = None, item_id: int | None = None,
          outlet: str | None = None, min_reports: int = 1) -> list[ClaimGroup]:
    """Claim groups filtered by status, by an item they contain, by an outlet reporting them."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
    out = []
    for g in claim_groups(conn):
        if status and g.status != status:
            continue
        if item_id is not None and item_id not in g.item_ids:
            continue
        if outlet and not any((r["outlet"] or "").casefold() == outlet.casefold() for r in g.reports):
            continue
        if len(g.reports) >= min_reports:
            out.append(g)
    return out


def item_statuses(conn: sqlite3.Connection, item_id: int) -> dict[str, dict[str, Any]]:
    """For one stored item: its claim ids → the corpus status of the group each belongs to."""
    out = {}
    for g in query(conn, item_id=item_id):
        for r in g.reports:
            if r["item_id"] == item_id:
                out[r["claim"]] = g.to_dict()
    return out


def attach_corpus_status(dossier: dict[str, Any], conn: sqlite3.Connection, item_id: int) -> dict[str, Any]:
    """Add the corpus status of each of a stored item's claims to its dossier (as the
    ``corroboration`` key that the reports read), and return the dossier."""
    dossier["corroboration"] = item_statuses(conn, item_id)
    return dossier
