"""The store's fact-check tables and hybrid retrieval over them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from newsforensics.factchecks.importers import read_factchecks
from newsforensics.factchecks.index import FactCheckIndex, clean_query
from newsforensics.factchecks.records import FactCheck
from newsforensics.factchecks.rerank import FEATURES, shipped_reranker
from newsforensics.factchecks.store import has_factchecks, import_factchecks, load_index


def test_import_is_idempotent_and_updates_by_id(fixtures: Path, tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    first = import_factchecks(db, read_factchecks(fixtures / "claims.txt"))
    assert (first.added, first.updated, first.unchanged) == (3, 0, 0)
    again = import_factchecks(db, read_factchecks(fixtures / "claims.txt"))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    changed = FactCheck(id="fc-drones", claim="The drones were launched from the coast at night.", verdict="False")
    assert import_factchecks(db, [changed]).updated == 1
    index = load_index(db)
    assert index is not None and len(index) == 3
    assert {fc.id: fc.verdict for fc in index.pool}["fc-drones"] == "False"


def test_a_corpus_without_fact_checks_has_no_index(tmp_path: Path) -> None:
    from newsforensics.corpus.store import Store

    db = tmp_path / "corpus.db"
    with Store(db):
        pass
    assert load_index(db) is None
    with sqlite3.connect(db) as conn:
        assert not has_factchecks(conn)


def test_hybrid_search_finds_the_fact_check_of_a_reworded_claim(factcheck_db: Path) -> None:
    index = load_index(factcheck_db)
    assert index is not None
    (hits,) = index.search(["Watch: the US military makes bioweapons in secret Ukrainian labs"], k=3)
    assert hits[0].factcheck.url == "https://factcheck.example.org/2022/biolabs"
    assert hits[0].factcheck.verdict == "False"
    assert hits[0].score > hits[-1].score
    assert set(hits[0].features) == set(FEATURES)
    (hits,) = index.search(["A Ukrainian jet downed flight MH17 https://t.co/abc pic.twitter.com/xyz"], k=1)
    assert hits[0].factcheck.claim.startswith("MH17 was shot down")


def test_queries_lose_links_but_keep_their_words() -> None:
    assert clean_query("Look https://t.co/x at this pic.twitter.com/abc  now") == "Look at this now"


def test_stored_vectors_must_fit_the_pool() -> None:
    pool = [FactCheck(id="a", claim="One claim."), FactCheck(id="b", claim="Another claim.")]
    with pytest.raises(ValueError, match="do not match the pool"):
        FactCheckIndex(pool, claim_vectors=np.zeros((1, 384), np.float32), title_vectors=np.zeros((1, 384), np.float32))


def test_shipped_reranker_has_a_card_and_prefers_stronger_evidence() -> None:
    model = shipped_reranker()
    assert "train" in model.card["trained_on"] and "dev" in model.card["trained_on"]
    weak = np.zeros(len(FEATURES))
    strong = weak.copy()
    for name in ("bm25_rel", "cos_claim", "cos_best", "cos_rank", "bm25_rank", "word_overlap"):
        strong[FEATURES.index(name)] = 1.0
    low, high = model.predict(np.vstack([weak, strong]))
    assert 0.0 <= low < high <= 1.0


def test_a_claim_in_another_language_finds_the_english_fact_check(factcheck_db: Path) -> None:
    index = load_index(factcheck_db)
    assert index is not None
    (french, russian) = index.search([
        "L'armée américaine fabrique en secret des armes biologiques dans des laboratoires ukrainiens",
        "Рейс MH17 сбил украинский самолёт",
    ], k=1, languages=["fr", "ru"])
    assert french[0].factcheck.url == "https://factcheck.example.org/2022/biolabs"
    assert russian[0].factcheck.claim.startswith("MH17 was shot down")
    assert index.multilingual_vectors().shape == (2 * len(index), 512)


def test_import_reuses_the_vectors_a_retrieval_run_cached(fixtures: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from newsforensics.factchecks.vectors import pool_vectors
    from newsforensics.models import encoder

    records = list(read_factchecks(fixtures / "claims.txt"))
    claims, titles = pool_vectors(records, tmp_path / "cache")
    monkeypatch.setattr(encoder, "encode", lambda *a, **k: pytest.fail("embedded again"))
    db = tmp_path / "corpus.db"
    assert import_factchecks(db, records, cache_dir=tmp_path / "cache").added == len({r.id for r in records})
    index = load_index(db)
    assert index is not None
    by_id = {fc.id: i for i, fc in enumerate(index.pool)}
    rows = [by_id[r.id] for r in records]
    assert np.array_equal(index.claim_vectors[rows], claims)
    assert np.array_equal(index.title_vectors[rows], titles)
