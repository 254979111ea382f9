"""The story index on disk: its tables hold what the in-memory index held (each story's cue
weights, each cue's corpus weight, postings of the most recent stories), a resumed index and one
with a single cached centroid assign the same stories, and an older file's index migrates."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import random
import shutil
import sqlite3
from collections import Counter, defaultdict, deque
from pathlib import Path

import numpy as np
import pytest

from newsforensics.corpus import stories as stories_module
from newsforensics.corpus.settings import EMBEDDING_KEY
from newsforensics.corpus.store import Store
from newsforensics.corpus.stories import StoryStep, item_cues
from newsforensics.document import Document, Metadata

OLD = Path(__file__).resolve().parents[1] / "fixtures" / "corpus" / "store-schema3.db.gz"
START = dt.date(2019, 1, 1)


def _docs(n: int, seed: int = 3) -> list[Document]:
    """Items of 40 events: shared places, names and dates, an event's vector plus noise (one
    in five in a language the encoder does not read, one in ten undated)."""
    rng = random.Random(seed)
    centres = np.random.default_rng(seed).normal(size=(40, stories_module.EMBEDDING_DIM)).astype(np.float32)
    docs = []
    for k in range(n):
        event = rng.randrange(40)
        day = None if rng.random() < 0.1 else START + dt.timedelta(days=event * 3 + rng.randrange(4))
        doc = Document(f"Item {k} about event {event}.", meta=Metadata(
            outlet=f"o{rng.randrange(5)}.example", language="hy" if rng.random() < 0.2 else "en",
            published=day.isoformat() if day else None, title=f"Item {k}"))
        cues = random.Random(event)
        doc.add("places", [doc.span(0, 4, "LOC", stage="corpus-cues", geonameid=g)
                           for g in {cues.randrange(30), rng.randrange(30)}])
        doc.add("names", [doc.span(5, 6, "PERSON", stage="corpus-cues", key=f"n{cues.randrange(50)} x")])
        if day:
            doc.add("dates", [doc.span(7, 8, "DATE", stage="corpus-cues", value=day.isoformat(), granularity="day")])
        vector = centres[event] + rng.gauss(0, 1) * np.random.default_rng(k).normal(size=centres.shape[1])
        doc.cache[EMBEDDING_KEY] = (vector / np.linalg.norm(vector)).astype(np.float32)
        docs.append(doc)
    return docs


def _assign(path: Path, docs: list[Document], resume_at: int | None = None) -> list[tuple]:
    for part in ((docs[:resume_at], docs[resume_at:]) if resume_at else (docs,)):
        with Store(path, steps=[StoryStep()]) as store:
            for doc in part:
                store.put(doc)
    conn = sqlite3.connect(path)
    return conn.execute("SELECT item_id, story_id, how, score FROM story_items ORDER BY item_id").fetchall()


@pytest.fixture
def small_postings(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(stories_module, "POSTING_LIMIT", 3)  # evictions happen in a small corpus
    return 3


def test_the_tables_hold_the_in_memory_index(tmp_path: Path, small_postings: int) -> None:
    docs = _docs(240)
    assigned = _assign(tmp_path / "c.db", docs)
    assert len({story for _, story, _, _ in assigned}) > 20
    assert {how for *_, how, _ in assigned} >= {"seed", "embedding+cues", "cues"}
    # Replay the assignments into the structures the index kept in memory before it moved to disk.
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    frequency: Counter[str] = Counter()
    postings: dict[str, deque[int]] = defaultdict(lambda: deque(maxlen=small_postings))
    for doc, (_, story, _, _) in zip(docs, assigned):
        cues = item_cues(doc.layers)
        counts[story].update(cues)
        frequency.update(cues)
        for cue in cues:
            if story not in postings[cue]:
                postings[cue].append(story)
    conn = sqlite3.connect(tmp_path / "c.db")
    assert {(s, c): n for s, c, n in conn.execute("SELECT story_id, cue, weight FROM story_cues")} == \
        {(s, c): n for s, found in counts.items() for c, n in found.items()}
    assert dict(conn.execute("SELECT cue, weight FROM story_cue_items")) == dict(frequency)
    assert any(len(p) == small_postings for p in postings.values())
    rows = conn.execute("SELECT cue, story_id FROM story_postings ORDER BY cue, seq").fetchall()
    assert rows == [(c, s) for c in sorted(postings) for s in postings[c]]
    assert dict(conn.execute("SELECT cue, posted FROM story_cue_items")) == {c: len(p) for c, p in postings.items()}


def test_resuming_and_a_one_story_cache_assign_the_same_stories(tmp_path: Path, small_postings: int,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _docs(160, seed=5)
    whole = _assign(tmp_path / "a.db", docs)
    monkeypatch.setattr(stories_module, "CENTROID_CACHE", 1)
    assert _assign(tmp_path / "b.db", docs, resume_at=70) == whole


def test_an_older_story_index_migrates_to_its_tables(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with gzip.open(OLD) as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    old = sqlite3.connect(path)
    cues = {(s, c): n for s, text in old.execute("SELECT story_id, cues_json FROM stories")
            for c, n in json.loads(text).items()}
    spans = {s: (a, b) for s, a, b in old.execute("SELECT story_id, first_day, last_day FROM stories")}
    old.close()
    with Store(path) as store:
        store.steps  # noqa: B018 - migrates the story index
        conn = store.conn
        assert cues and {(s, c): n for s, c, n in conn.execute("SELECT * FROM story_cues")} == cues
        weeks = [tuple(r) for r in conn.execute("SELECT week, story_id FROM story_weeks")]
        assert sorted(weeks) == sorted((w, s) for s, (a, b) in spans.items()
                                       for w in (range(a // 7, b // 7 + 1) if a is not None else [-1]))
        posted = dict(conn.execute("SELECT cue, posted FROM story_cue_items"))
        assert posted == Counter(c for c, _ in conn.execute("SELECT cue, story_id FROM story_postings"))


def test_a_rolled_back_transaction_leaves_no_trace_in_the_index(tmp_path: Path, small_postings: int) -> None:
    docs = _docs(150, seed=7)
    expected = _assign(tmp_path / "a.db", docs[:60] + docs[90:])
    with Store(tmp_path / "b.db", steps=[StoryStep()]) as store:
        for doc in docs[:60]:
            store.put(doc)
        with pytest.raises(RuntimeError), store.transaction():
            for doc in docs[60:90]:  # stories grow and new ones start, then all of it rolls back
                store.put(doc)
            raise RuntimeError("the disk filled up")
        for doc in docs[90:]:
            store.put(doc)
        [step] = store.steps
        conn = store.conn
        table = {s: (a, b, n) for s, a, b, n in conn.execute(
            "SELECT story_id, first_day, last_day, n_items FROM stories")}
        spans = step._spans  # the stories' dates and sizes kept in memory mirror the table
        none = stories_module._Spans.NONE
        assert {s: (None if spans.first[s] == none else int(spans.first[s]),
                    None if spans.last[s] == none else int(spans.last[s]), int(spans.size[s])) for s in table} == table
        assert not spans.size[max(table) + 1:].any()
    ids = [tuple(r) for r in sqlite3.connect(tmp_path / "b.db").execute(
        "SELECT story_id, how, score FROM story_items ORDER BY item_id")]
    assert ids == [(s, how, score) for _, s, how, score in expected]


class _EveryCandidateScored(StoryStep):
    """The story step scoring every posted candidate, single-cue ones included (the reference)."""

    def _candidates(self, conn, day, cues, embedded):  # type: ignore[no-untyped-def]
        by_cue, _, active = super()._candidates(conn, day, cues, embedded)
        return by_cue, by_cue, active


def test_candidates_left_unscored_could_not_have_joined(tmp_path: Path, small_postings: int) -> None:
    docs = _docs(200, seed=11)
    for doc in docs[::3]:  # a third without a vector: matched on cues alone
        doc.cache.pop(EMBEDDING_KEY)
    with Store(tmp_path / "ref.db", steps=[_EveryCandidateScored()]) as store:
        for doc in docs:
            store.put(doc)
    reference = sqlite3.connect(tmp_path / "ref.db").execute(
        "SELECT item_id, story_id, how, score FROM story_items ORDER BY item_id").fetchall()
    assert {how for *_, how, _ in reference} >= {"seed", "embedding+cues", "cues"}
    assert _assign(tmp_path / "c.db", docs) == reference
