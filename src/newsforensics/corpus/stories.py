"""Stories: items about the same event, across outlets and languages, assigned incrementally.

Each new item is compared with the stories active around its date and joins the best one that
scores above a threshold, or starts a new story. The score combines:

- the cosine between the item's headline-and-lead vector under the multilingual encoder
  (``models.multilingual``: one space for every language it reads) and the story's centroid,
  used when the item's language is one the encoder was trained on (``embedding_languages``);
- language-independent cues shared with the story: places resolved to GeoNames ids, names
  keyed by consonant skeleton across scripts, numbers and resolved dates (``corpus.cues``).

Without a vector (a language the encoder does not read, or a profile without the
``story-embedding`` stage) the cues decide alone, with a stricter rule (at least two distinct
shared cues). An item the republication index found to be a copy joins its original's story. The
supported language pairs and how well each does are in docs/corpus.md (measured by
benchmarks/corpus_stories.py) and in every story's ``support`` field.
"""

from __future__ import annotations

import json
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from ..document import Document
from ..pipeline import BaseStage, register
from ..models import multilingual
from .cues import name_cue_key
from .settings import EMBEDDING_KEY, settings
from .steps import StoredItem, corpus_step

EMBEDDING_DIM = multilingual.EMBEDDING_DIM
POSTING_LIMIT = 256  # stories remembered per cue (the most recent): bounds each item's candidates
CENTROID_CACHE = 4096  # story centroids kept in memory, least recently used out (8 MB)
CUE_WEIGHTS = {"place": 1.0, "country": 0.3, "name": 1.5, "number": 0.5, "date": 0.8}
CUE_SATURATION = 4.0  # this much shared cue weight is full evidence
COMMON_CUE_SHARE, COMMON_CUE_MIN = 0.003, 5
UNDATED = -1  # the week of stories without a dated item


def _config() -> dict[str, Any]:
    return settings()["stories"]


def embedding_text(doc: Document) -> str:
    """What stories embed: the headline and lead (the clean text starts with the headline)."""
    return doc.text[:settings()["cues"]["embed_chars"]]


@register("story-embedding")
class EmbeddingStage(BaseStage):
    """The multilingual vector of the headline and lead that stories compare, encoded in batches
    where the analysis runs and kept in ``Document.cache`` for the story index."""

    version = "2"
    keeps = (EMBEDDING_KEY,)

    @property
    def model(self) -> str | None:
        return multilingual.MODEL_ID

    def __call__(self, doc: Document) -> None:
        self.pipe([doc])

    def pipe(self, docs: list[Document]) -> None:
        vectors = multilingual.encode([embedding_text(d) for d in docs])
        for doc, vector in zip(docs, vectors):
            doc.cache[EMBEDDING_KEY] = vector


def item_cues(layers: dict[str, list[Any]]) -> dict[str, float]:
    """The distinct cues of an item's layers and their weights (``kind:value`` → weight)."""
    found: dict[str, float] = {}
    for span in layers.get("places", []):
        gid = span.attrs.get("geonameid") or span.attrs.get("name")
        if gid:
            kind = "country" if span.attrs.get("feature") in ("PCLI", "CONT") else "place"
            found[f"p:{gid}"] = CUE_WEIGHTS[kind]
    names = layers.get("names") or [s for s in layers.get("entities", []) if s.label in ("PERSON", "ORG")]
    for span in names:
        key = span.attrs.get("key") or name_cue_key(span.text)
        if key and " " in key:
            found[f"n:{key}"] = CUE_WEIGHTS["name"]
    for span in layers.get("numbers", []):
        found[f"#:{span.attrs.get('value')}"] = CUE_WEIGHTS["number"]
    for span in layers.get("dates", []):
        value = span.attrs.get("value")
        if value and span.attrs.get("granularity", "day") == "day":
            found[f"d:{value}"] = CUE_WEIGHTS["date"]
    return found


def damped(cues: dict[str, float], frequency: Mapping[str, float], items: int) -> dict[str, float]:
    """Cue weights lowered for cues common in the corpus ("White House", "United States"): a cue
    in more than ``COMMON_CUE_SHARE`` of the items (at least ``COMMON_CUE_MIN``) counts less."""
    common = max(COMMON_CUE_MIN, COMMON_CUE_SHARE * items)
    return {c: w * min(1.0, common / frequency[c]) if frequency.get(c) else w for c, w in cues.items()}


def cue_score(item: dict[str, float], story: Mapping[str, int], story_items: int = 1) -> tuple[float, int]:
    """(score in 0..1, number of distinct shared cues) of an item's cues against a story's.

    A story cue counts in proportion to the share of the story's items that have it (fully
    from half of them up), so a large story does not swallow every item that shares one of its
    many incidental cues.
    """
    shared = [c for c in item if c in story]
    half = max(1.0, story_items / 2)
    weight = sum(item[c] * min(1.0, story[c] / half) for c in shared)
    return min(1.0, weight / CUE_SATURATION), len(shared)


def embedding_score(cosine: float, indirect: bool = False) -> float:
    """The encoder's cosine mapped to 0..1 between ``embedding_floor`` (unrelated news sits below
    it) and ``embedding_full`` (one event's reports, in any two languages, sit above it).

    ``indirect``: one side is in a language the encoder was not trained on and reads through a
    related one (``indirect_languages``: Ukrainian through Russian), compared with the other
    languages; such cosines run lower for the same event and for different ones alike, so they
    are mapped between their own floor and full."""
    cfg = _config()
    prefix = "indirect_" if indirect else ""
    low, high = float(cfg[f"{prefix}embedding_floor"]), float(cfg[f"{prefix}embedding_full"])
    return float(min(1.0, max(0.0, (cosine - low) / (high - low))))


def is_indirect(language: str | None, others: frozenset[str] | set[str]) -> bool:
    """Whether an item in ``language`` compared with items in ``others`` crosses from a language the
    encoder reads only through a related one to another language (either way round)."""
    indirect = frozenset(_config().get("indirect_languages", ()))
    if language in indirect:
        return bool(others - {language})
    return bool(others) and others <= indirect


@dataclass(frozen=True, slots=True)
class Match:
    score: float
    how: str      # "embedding+cues" | "cues"
    joins: bool   # above the threshold for how it was matched (and enough shared cues)


def match(cues: dict[str, float], story_cues: Mapping[str, int], story_items: int = 1,
          cosine: float | None = None, indirect: bool = False, days: int = 0) -> Match:
    """How well an item fits a story (or another item): the one scoring rule of assignment.

    With a cosine (both sides embedded in an embedding language) it blends the embedding with
    the cues (``indirect``: see :func:`embedding_score`); without, the cues decide alone and
    must share at least ``min_shared_cues``. ``days`` between the item and the story's first
    item lower the score past ``date_grace_days`` (``date_penalty`` a day): one event's reports
    follow it closely, while reports of other events on the same topic come day after day, and a
    story measured from its latest item would chain from one to the next.
    """
    cfg = _config()
    late = float(cfg.get("date_penalty", 0.0)) * max(0, days - int(cfg.get("date_grace_days", 0)))
    c_score, shared = cue_score(cues, story_cues, story_items)
    if cosine is not None:
        blend = cfg["embedding_weight"] * embedding_score(cosine, indirect) + cfg["cue_weight"] * c_score
        score = max(0.0, blend - late)
        return Match(score, "embedding+cues", score >= cfg["threshold"])
    score = max(0.0, cfg["cross_language_cue_weight"] * c_score - late)
    return Match(score, "cues", score >= cfg["cross_language_threshold"] and shared >= cfg["min_shared_cues"])


class _Head(NamedTuple):
    """What comparing an item's vector with a story needs, kept in the bounded cache."""

    centroid: np.ndarray | None
    languages: frozenset[str]


class _Spans:
    """Every story's first and last day and size, by story id, in memory (12 bytes a story: 1.2 MB
    at 100k stories), mirroring the ``stories`` table: an item's candidates (up to
    ``POSTING_LIMIT`` stories a cue, most of them outside its window once the corpus is large) are
    filtered to the stories active around its date here, not by a table look-up per story."""

    NONE = -1  # no dated item (date ordinals start at 1)

    def __init__(self) -> None:
        self.first = np.full(1024, self.NONE, dtype=np.int32)
        self.last = np.full(1024, self.NONE, dtype=np.int32)
        self.size = np.zeros(1024, dtype=np.int32)

    @classmethod
    def read(cls, conn: sqlite3.Connection) -> _Spans:
        spans = cls()
        for row in conn.execute("SELECT story_id, first_day, last_day, n_items FROM stories"):
            spans.set(*row)
        return spans

    def set(self, story_id: int, first: int | None, last: int | None, n_items: int) -> None:
        if story_id >= len(self.first):
            grow = max(story_id + 1, 2 * len(self.first)) - len(self.first)
            self.first = np.concatenate([self.first, np.full(grow, self.NONE, dtype=np.int32)])
            self.last = np.concatenate([self.last, np.full(grow, self.NONE, dtype=np.int32)])
            self.size = np.concatenate([self.size, np.zeros(grow, dtype=np.int32)])
        self.first[story_id] = self.NONE if first is None else first
        self.last[story_id] = self.NONE if last is None else last
        self.size[story_id] = n_items

    def active(self, story_ids: np.ndarray, day: int, window: int) -> np.ndarray:
        """Those of ``story_ids`` without a dated item or with one within ``window`` days of ``day``."""
        first, last = self.first[story_ids], self.last[story_ids]
        return story_ids[(first == self.NONE) | ((first <= day + window) & (last >= day - window))]

    def days_from_first(self, story_id: int, day: int | None) -> int:
        """Days between ``day`` and the story's first dated item (0 when either is undated)."""
        first = int(self.first[story_id])
        return 0 if day is None or first == self.NONE else abs(day - first)


@dataclass
class _Story:
    story_id: int
    first: int | None  # date ordinals
    last: int | None
    n_items: int = 0
    embedded: int = 0
    centroid: np.ndarray | None = None  # unit float32 of the embedded items
    languages: set[str] = field(default_factory=set)

    def distance(self, day: int | None) -> int:
        if day is None or self.first is None or self.last is None:
            return 0
        return max(0, self.first - day, day - self.last)

    def weeks(self) -> list[int]:
        if self.first is None or self.last is None:
            return [UNDATED]
        return list(range(self.first // 7, self.last // 7 + 1))


@corpus_step("stories")
class StoryStep:
    """The incremental story index, kept on disk so the writer's memory does not grow with the
    corpus: the stories, each story's cue weights, the most recent stories of each cue (its
    posting, ``POSTING_LIMIT`` long), the weeks each story spans and each cue's corpus weight are
    tables (corpus/schema/stories.py), read per item through their indexes. In memory: counters,
    a bounded cache of story centroids and each story's dates and size (:class:`_Spans`, 12 bytes
    a story). Candidates are scored in story-id order, so of two equal scores the older story wins."""

    version = "2"

    def __init__(self) -> None:
        cfg = _config()
        self._window = int(cfg["window_days"])
        self._embedding_languages = frozenset(cfg["embedding_languages"])
        self._heads: OrderedDict[int, _Head] = OrderedDict()
        self._spans = _Spans()
        self._next_id = 1
        self._items = 0  # items in the index (the corpus size cue frequencies are damped against)
        self._seq = 1    # order of appends to the postings

    def load(self, conn: sqlite3.Connection) -> None:
        self._next_id = int(conn.execute("SELECT coalesce(max(story_id), 0) + 1 FROM stories").fetchone()[0])
        self._items = int(conn.execute("SELECT count(*) FROM story_items").fetchone()[0])
        self._seq = int(conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM story_postings").fetchone()[0])
        self._heads.clear()
        self._spans = _Spans.read(conn)

    # --- assignment -------------------------------------------------------------------------

    def prepare(self, doc: Document) -> tuple[dict[str, float], np.ndarray | None]:
        """The item's cues and its story embedding (None without the story-embedding stage)."""
        return item_cues(doc.layers), doc.cache.get(EMBEDDING_KEY)

    def add(self, conn: sqlite3.Connection, item: StoredItem) -> None:
        day = item.published.toordinal() if item.published else None
        cues, vector = item.prepared[self.name]
        frequency = self._count_cues(conn, cues)
        self._items += 1
        if vector is not None and item.language not in self._embedding_languages:
            vector = None
        best = self._copy_story(conn, item.item_id)
        if best is not None and self._story(conn, best).distance(day) > self._window:
            best = None  # an old text published again much later: a story of its own time
        how, score = ("copy", None) if best is not None else ("seed", None)
        if best is None:
            best, score, how = self._best_story(conn, day, damped(cues, frequency, self._items), vector,
                                                item.language)
        if best is None:
            story = _Story(self._next_id, day, day)
            self._next_id += 1
            how = "seed"
        else:
            story = self._story(conn, best)
        self._join(conn, story, day, cues, vector, item.language)
        conn.execute("INSERT OR REPLACE INTO story_items VALUES (?, ?, ?, ?)",
                     (item.item_id, story.story_id, None if score is None else round(score, 4), how))

    def _count_cues(self, conn: sqlite3.Connection, cues: dict[str, float]) -> dict[str, float]:
        """Add the item's cue weights to the corpus's; those sums (what :func:`damped` reads)."""
        if not cues:
            return {}
        conn.executemany("INSERT INTO story_cue_items VALUES (?, ?, 0) "
                         "ON CONFLICT(cue) DO UPDATE SET weight = weight + excluded.weight", cues.items())
        return dict(conn.execute(f"SELECT cue, weight FROM story_cue_items WHERE cue IN {_LIST}",
                                 (_listed(cues),)).fetchall())

    def _story(self, conn: sqlite3.Connection, story_id: int) -> _Story:
        row = conn.execute("SELECT first_day, last_day, n_items, embedded, languages FROM stories "
                           "WHERE story_id = ?", (story_id,)).fetchone()
        centroid = self._head(conn, story_id).centroid
        return _Story(story_id, row[0], row[1], row[2], row[3] if centroid is not None else 0, centroid,
                      set(json.loads(row[4])))

    def _head(self, conn: sqlite3.Connection, story_id: int) -> _Head:
        """A story's centroid and languages through the bounded cache (centroid None: no
        embedded item, or one made by an earlier encoder, whose items count as not embedded)."""
        if story_id in self._heads:
            self._heads.move_to_end(story_id)
            return self._heads[story_id]
        row = conn.execute("SELECT centroid, languages FROM stories WHERE story_id = ?", (story_id,)).fetchone()
        centroid = np.frombuffer(row[0], dtype=np.float32).copy() if row[0] else None
        if centroid is not None and centroid.shape != (EMBEDDING_DIM,):
            centroid = None
        return self._cache(story_id, _Head(centroid, frozenset(json.loads(row[1]))))

    def _cache(self, story_id: int, head: _Head) -> _Head:
        self._heads[story_id] = head
        self._heads.move_to_end(story_id)
        if len(self._heads) > CENTROID_CACHE:
            self._heads.popitem(last=False)
        return head

    def _copy_story(self, conn: sqlite3.Connection, item_id: int) -> int | None:
        """The story of the item this one copies most closely, if the copy index found one."""
        try:
            row = conn.execute(
                "SELECT s.story_id FROM copy_pairs p JOIN story_items s ON s.item_id = "
                "CASE WHEN p.copy_id = ? THEN p.original_id ELSE p.copy_id END "
                "WHERE (p.copy_id = ? OR p.original_id = ?) ORDER BY p.share DESC LIMIT 1",
                (item_id, item_id, item_id)).fetchone()
        except sqlite3.OperationalError:  # no republication index in this store
            return None
        return None if row is None else int(row[0])

    def _candidates(self, conn: sqlite3.Connection, day: int | None, cues: dict[str, float],
                    embedded: bool) -> tuple[set[int], set[int], set[int]]:
        """Stories in the postings of the item's cues within the window, those of them that may
        share enough cues to join on cues alone, and (for an embedded item) the stories active in
        the window; an undated item is compared by embedding with the undated stories.

        A story in one posting only, all other postings short of ``POSTING_LIMIT`` (so complete),
        shares one cue with the item: it can join only by embedding, as one of the stories
        nearest by cosine, and is not looked up for its cues otherwise. On a large corpus most
        candidates are such (the stories of the item's day, through its date cue)."""
        hits: dict[int, int] = {}
        per_cue: dict[str, int] = {}
        if cues:
            for cue, story_id in conn.execute(f"SELECT cue, story_id FROM story_postings WHERE cue IN {_LIST}",
                                              (_listed(cues),)):
                hits[story_id] = hits.get(story_id, 0) + 1
                per_cue[cue] = per_cue.get(cue, 0) + 1
        found = np.fromiter(hits, dtype=np.int64, count=len(hits))
        by_cue = set((found if day is None else self._spans.active(found, day, self._window)).tolist())
        full = sum(n >= POSTING_LIMIT for n in per_cue.values())  # postings that may have dropped a story
        enough = {s for s in by_cue if hits[s] + full >= _config()["min_shared_cues"]}
        if not embedded:
            return by_cue, enough, set()
        if day is None:
            return by_cue, enough, {r[0] for r in conn.execute("SELECT story_id FROM story_weeks WHERE week = ?",
                                                               (UNDATED,))}
        weeks = np.fromiter((r[0] for r in conn.execute(
            "SELECT DISTINCT story_id FROM story_weeks WHERE week BETWEEN ? AND ?",
            ((day - self._window) // 7, (day + self._window) // 7))), dtype=np.int64)
        active = weeks[self._spans.first[weeks] != _Spans.NONE]
        return by_cue, enough, set(self._spans.active(active, day, self._window).tolist())

    def _best_story(self, conn: sqlite3.Connection, day: int | None, cues: dict[str, float],
                    vector: np.ndarray | None, language: str | None) -> tuple[int | None, float | None, str]:
        cfg = _config()
        by_cue, enough, active = self._candidates(conn, day, cues, vector is not None)
        cosines: dict[int, tuple[float, _Head]] = {}
        if vector is not None:
            embedded = [(s, h) for s in sorted(active | by_cue) if (h := self._head(conn, s)).centroid is not None]
            if embedded:
                sims = np.stack([h.centroid for _, h in embedded]) @ vector.astype(np.float32)
                top = np.argsort(-sims, kind="stable")[:cfg["max_candidates"]]
                cosines = {embedded[i][0]: (float(sims[i]), embedded[i][1]) for i in top}
        scored = sorted(enough | set(cosines))
        shared = self._shared_cues(conn, scored, cues)
        best: tuple[float, int, str] | None = None
        for story_id in scored:
            counts, n_items = shared.get(story_id, ({}, 1))
            cosine, head = cosines.get(story_id, (None, None))
            found = match(cues, counts, n_items, cosine, head is not None and is_indirect(language, head.languages),
                          self._spans.days_from_first(story_id, day))
            if found.joins and (best is None or found.score > best[0]):
                best = (found.score, story_id, found.how)
        if best is None:
            return None, None, "seed"
        return best[1], best[0], best[2]

    def _shared_cues(self, conn: sqlite3.Connection, story_ids: list[int],
                     cues: dict[str, float]) -> dict[int, tuple[dict[str, float], int]]:
        """Each story's weights of the item's cues, and its size (stories sharing none: absent)."""
        shared: dict[int, tuple[dict[str, float], int]] = {}
        if not story_ids or not cues:
            return shared
        for story_id, cue, weight in conn.execute(
                f"SELECT story_id, cue, weight FROM story_cues WHERE story_id IN {_LIST} AND cue IN {_LIST}",
                (_listed(story_ids), _listed(cues))):
            shared.setdefault(story_id, ({}, int(self._spans.size[story_id])))[0][cue] = weight
        return shared

    def _join(self, conn: sqlite3.Connection, story: _Story, day: int | None, cues: dict[str, float],
              vector: np.ndarray | None, language: str | None) -> None:
        weeks = story.weeks() if story.n_items else []
        if day is not None:
            story.first = day if story.first is None else min(story.first, day)
            story.last = day if story.last is None else max(story.last, day)
        story.n_items += 1
        if vector is not None:
            total = vector.astype(np.float32) if story.centroid is None else \
                story.centroid * story.embedded + vector.astype(np.float32)
            story.centroid = (total / max(np.linalg.norm(total), 1e-9)).astype(np.float32)
            story.embedded += 1
        if language:
            story.languages.add(language)
        if story.weeks() != weeks:
            conn.executemany("DELETE FROM story_weeks WHERE week = ? AND story_id = ?",
                             [(w, story.story_id) for w in weeks])
            conn.executemany("INSERT INTO story_weeks VALUES (?, ?)", [(w, story.story_id) for w in story.weeks()])
        conn.executemany("INSERT INTO story_cues VALUES (?, ?, ?) ON CONFLICT(story_id, cue) "
                         "DO UPDATE SET weight = weight + excluded.weight", [(story.story_id, *c) for c in cues.items()])
        self._post(conn, story.story_id, cues)
        self._save(conn, story)
        self._spans.set(story.story_id, story.first, story.last, story.n_items)
        self._cache(story.story_id, _Head(story.centroid, frozenset(story.languages)))

    def _post(self, conn: sqlite3.Connection, story_id: int, cues: dict[str, float]) -> None:
        """Append the story to the posting of each cue that does not hold it; a posting keeps
        its ``POSTING_LIMIT`` most recent appends."""
        for cue in cues:
            if not conn.execute("INSERT INTO story_postings VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                                (cue, story_id, self._seq)).rowcount:
                continue
            self._seq += 1
            posted = conn.execute("UPDATE story_cue_items SET posted = posted + 1 WHERE cue = ? RETURNING posted",
                                  (cue,)).fetchone()[0]
            if posted > POSTING_LIMIT:
                conn.execute("DELETE FROM story_postings WHERE cue = ?1 AND seq = "
                             "(SELECT min(seq) FROM story_postings WHERE cue = ?1)", (cue,))
                conn.execute("UPDATE story_cue_items SET posted = posted - 1 WHERE cue = ?", (cue,))

    @staticmethod
    def _save(conn: sqlite3.Connection, story: _Story) -> None:
        conn.execute(
            "INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?, '{}', ?) ON CONFLICT(story_id) DO UPDATE SET "
            "first_day = excluded.first_day, last_day = excluded.last_day, n_items = excluded.n_items, "
            "embedded = excluded.embedded, centroid = excluded.centroid, languages = excluded.languages",
            (story.story_id, story.first, story.last, story.n_items, story.embedded,
             None if story.centroid is None else story.centroid.tobytes(), json.dumps(sorted(story.languages))),
        )


# A list as one JSON parameter: no limit on its length (an item may have thousands of cues).
_LIST = "(SELECT value FROM json_each(?))"


def _listed(values: Any) -> str:
    return json.dumps(list(values), ensure_ascii=False)


# --- reading ---------------------------------------------------------------------------------

# Role rules: a function of (conn, item row) returning a role or None; the first answer wins.
# Another feature (denial detection) registers its own; layers in corpus.toml [stories.role_layers]
# give a role by their presence.
RoleRule = Callable[[sqlite3.Connection, dict[str, Any]], "str | None"]
ROLE_RULES: list[RoleRule] = []


def register_role_rule(rule: RoleRule) -> RoleRule:
    """Add a rule that tells an item's role in its story (e.g. "denial")."""
    ROLE_RULES.append(rule)
    return rule


def has_index(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'story_items'").fetchone() is not None


def stories(conn: sqlite3.Connection, *, min_items: int = 2, outlet: str | None = None,
            language: str | None = None, since: str | None = None, until: str | None = None,
            limit: int | None = 50, offset: int = 0) -> Iterator[dict[str, Any]]:
    """Story summaries, largest first (``min_items`` hides single-item stories)."""
    if not has_index(conn):
        return
    clauses, params = ["n_items >= ?"], [min_items]
    if outlet or language or since or until:
        sub, sub_params = ["1"], []
        for column, value, op in (("outlet", outlet, "="), ("language", language, "="),
                                  ("published", since, ">="), ("published", until, "<=")):
            if value:
                sub.append(f"i.{column} {op} ?")
                sub_params.append(value)
        clauses.append("story_id IN (SELECT si.story_id FROM story_items si JOIN items i "
                       f"ON i.item_id = si.item_id WHERE {' AND '.join(sub)})")
        params += sub_params
    rows = conn.execute(f"SELECT story_id FROM stories WHERE {' AND '.join(clauses)} "
                        "ORDER BY n_items DESC, story_id LIMIT ? OFFSET ?",
                        [*params, -1 if limit is None else limit, offset]).fetchall()
    for row in rows:
        found = story(conn, row[0], items=False)
        if found is not None:
            yield found


def story(conn: sqlite3.Connection, story_id: int, *, items: bool = True, limit: int | None = None,
          offset: int = 0) -> dict[str, Any] | None:
    """One story: its items by time (outlet, language, role), places, dates and support.

    ``limit``/``offset`` page the items (a story can hold thousands); the summary fields always
    describe the whole story, from aggregate queries rather than from every member row."""
    head = conn.execute("SELECT * FROM stories WHERE story_id = ?", (story_id,)).fetchone()
    if head is None:
        return None
    out = _summary(conn, head)
    if items:
        members = [dict(r) for r in conn.execute(
            "SELECT i.item_id, i.title, i.outlet, i.language, i.published, i.url, s.score, s.how "
            f"{_MEMBERS} {_BY_TIME} LIMIT ? OFFSET ?", (story_id, -1 if limit is None else limit, offset))]
        first_day = out["first_published"]
        on_first_day = conn.execute(f"SELECT count(*) {_MEMBERS} AND i.published = ?",
                                    (story_id, first_day)).fetchone()[0] if first_day else 0
        _roles(conn, members, first_day if on_first_day == 1 else None)
        out["items"] = members
    return out


def _summary(conn: sqlite3.Connection, head: sqlite3.Row) -> dict[str, Any]:
    """A story's head: counts, outlets, dates, top places and dates — aggregated in SQL through
    ``story_items`` (an index on story_id), never by listing its items or scanning ``spans``."""
    story_id = head["story_id"]
    agg = conn.execute(
        "SELECT count(*) AS n, json_group_array(DISTINCT i.outlet) AS outlets, min(i.published) AS first,"
        " max(i.published) AS last, (SELECT i2.title FROM story_items s2 JOIN items i2 ON i2.item_id ="
        " s2.item_id WHERE s2.story_id = ?1 AND i2.title IS NOT NULL ORDER BY i2.published IS NULL,"
        " i2.published, i2.item_id LIMIT 1) AS title"
        " FROM story_items s JOIN items i ON i.item_id = s.item_id WHERE s.story_id = ?1", (story_id,)).fetchone()
    outlets = sorted(o for o in json.loads(agg["outlets"]) if o)
    languages = json.loads(head["languages"])
    return {
        "story_id": story_id, "title": agg["title"],
        "n_items": agg["n"], "n_outlets": len(outlets), "outlets": outlets,
        "languages": languages,
        "first_published": agg["first"], "last_published": agg["last"],
        "places": _top(conn, story_id, "places", "COALESCE(json_extract(s.attrs_json, '$.name'), s.text)"),
        "dates": _top(conn, story_id, "dates", "json_extract(s.attrs_json, '$.value')"),
        "support": support(languages, head["embedded"] > 0),
    }


_MEMBERS = "FROM story_items s JOIN items i ON i.item_id = s.item_id WHERE s.story_id = ?"
_BY_TIME = "ORDER BY i.published IS NULL, i.published, i.item_id"


def _top(conn: sqlite3.Connection, story_id: int, layer: str, value_sql: str, limit: int = 8) -> list[dict[str, Any]]:
    # CROSS JOIN fixes the order: the story's items first (story_items_story), then each item's
    # spans by primary key; left to itself SQLite may walk every span of the layer instead.
    rows = conn.execute(
        f"SELECT {value_sql} AS value, count(DISTINCT s.item_id) AS items FROM story_items si "
        "CROSS JOIN spans s ON s.item_id = si.item_id AND s.layer = ? WHERE si.story_id = ? "
        "AND value IS NOT NULL GROUP BY value ORDER BY items DESC, value LIMIT ?",
        (layer, story_id, limit))
    return [{"value": r["value"], "items": r["items"]} for r in rows]


def _roles(conn: sqlite3.Connection, members: list[dict[str, Any]], claim_day: str | None) -> None:
    """claim (the one item of the story's first day, ``claim_day``), copy, report, or what a
    role rule or role layer says."""
    layers = settings()["stories"].get("role_layers", {})
    ids = [m["item_id"] for m in members]
    marked: dict[int, str] = {}
    if layers and ids:
        marks = ",".join("?" * len(layers))
        for item_id, layer in conn.execute(
                f"SELECT DISTINCT item_id, layer FROM spans WHERE layer IN ({marks}) AND item_id IN "
                f"({','.join('?' * len(ids))})", [*layers, *ids]):
            marked[item_id] = layers[layer]
    for m in members:
        role = next((r for rule in ROLE_RULES if (r := rule(conn, m))), None) or marked.get(m["item_id"])
        if role is None:
            if m["how"] == "copy":
                role = "copy"
            elif claim_day is not None and m["published"] == claim_day:
                role = "claim"
            else:
                role = "report"
        m["role"] = role


def support(languages: list[str], embedded_items: bool = True) -> dict[str, str]:
    """How each language pair of a story was matched, and how well that is measured to work.

    The measured figures of a pair in the embedding languages are for embedding + cues; a story
    without embedded items (profile ``minimal``) was matched on cues only, which is not measured
    for those pairs and says so."""
    table = settings()["stories"].get("support", {})
    languages_embedded = set(_config()["embedding_languages"])
    unmeasured = table.get("default", "not measured")
    out: dict[str, str] = {}
    for i, a in enumerate(languages):
        for b in languages[i:]:
            pair = "-".join(sorted((a, b)))
            embeddable = a in languages_embedded and b in languages_embedded
            if embeddable and embedded_items:
                out[pair] = f"embedding+cues; {table.get(pair, unmeasured)}"
            else:
                out[pair] = f"cues only; {unmeasured if embeddable else table.get(pair, unmeasured)}"
    return out
