"""CheckThat! layouts: pools, queries with stray quotes, qrels, TREC runs and MAP@k."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsforensics.errors import InputError
from newsforensics.factchecks.checkthat import (average_precision_at, mean_average_precision, mean_reciprocal_rank,
                                                read_qrels, read_queries, read_run, read_vclaims, write_run)


def test_pools_in_json_lines_gzip_and_tsv(tmp_path: Path) -> None:
    rows = [{"vclaim_id": "vclaim-sno-1", "vclaim": "A claim.", "title": "A title", "subtitle": "Rumor: a claim",
             "page_url": "https://snopes.example/1"},
            {"vclaim_id": "vclaim-pol-2", "vclaim": "Another.", "truth_label": "false", "speaker": "Someone",
             "url": "/factchecks/2019/x/", "text": "Body."}]
    plain = tmp_path / "pool.jsonl"
    plain.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    packed = tmp_path / "pool.jsonl.gz"
    with gzip.open(packed, "wt", encoding="utf-8") as handle:
        handle.write(plain.read_text(encoding="utf-8"))
    for path in (plain, packed):
        first, second = read_vclaims(path)
        assert (first.id, first.subtitle, first.url) == ("vclaim-sno-1", "Rumor: a claim", "https://snopes.example/1")
        assert (second.verdict, second.claimant, second.text) == ("false", "Someone", "Body.")
        assert second.url == "https://www.politifact.com/factchecks/2019/x/"
    tsv = tmp_path / "verified_claims.docs.tsv"
    tsv.write_text("vclaim_id\tvclaim\ttitle\n7\tSeven.\tTitle seven\n", encoding="utf-8")
    (record,) = read_vclaims(tsv)
    assert (record.id, record.claim, record.title) == ("7", "Seven.", "Title seven")


def test_pool_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "pool.jsonl"
    path.write_text('{"vclaim_id": "a", "vclaim": "x"}\n{"vclaim": "no id"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=":2: a vclaim needs"):
        list(read_vclaims(path))
    path.write_text("not json\n", encoding="utf-8")
    with pytest.raises(InputError, match=":1: not a JSON line"):
        list(read_vclaims(path))


def test_queries_keep_unbalanced_quotes_and_skip_a_header(tmp_path: Path) -> None:
    path = tmp_path / "queries.tsv"
    path.write_text('iclaim_id\ttweet\ntweet-1\t"Breaking: he said "no" — A (@a) May 1\ntweet-2\tplain\n',
                    encoding="utf-8")
    assert read_queries(path) == [("tweet-1", '"Breaking: he said "no" — A (@a) May 1'), ("tweet-2", "plain")]


def test_a_repeated_query_is_kept_once_and_a_conflicting_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "queries.tsv"
    path.write_text("d_001\tWe cut taxes.\nd_002\tJobs grew.\nd_001\tWe cut taxes.\n", encoding="utf-8")
    assert read_queries(path) == [("d_001", "We cut taxes."), ("d_002", "Jobs grew.")]
    path.write_text("t-1\tOne tweet.\nt-1\tAnother year's tweet.\n", encoding="utf-8")
    with pytest.raises(InputError, match="do not merge"):
        read_queries(path)


def test_run_round_trip_and_trec_layout(tmp_path: Path) -> None:
    buffer = io.StringIO()
    assert write_run(buffer, [("q1", [("d1", 0.9), ("d2", 0.5)]), ("q2", [("d3", 0.1)])], "tag") == 3
    assert buffer.getvalue().splitlines()[0] == "q1\tQ0\td1\t1\t0.900000\ttag"
    path = tmp_path / "run.tsv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    assert read_run(path) == {"q1": ["d1", "d2"], "q2": ["d3"]}
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("q1\t0\td2\t1\nq2\t0\td3\t1\nq3\t0\td9\t1\nq3\t0\td8\t0\n", encoding="utf-8")
    gold = read_qrels(qrels)
    assert gold == {"q1": {"d2"}, "q2": {"d3"}, "q3": {"d9"}}
    # q1: hit at rank 2 → 1/2; q2: rank 1 → 1; q3 missing from the run → 0.
    assert mean_average_precision(read_run(path), gold, 5) == pytest.approx((0.5 + 1 + 0) / 3)
    assert mean_reciprocal_rank(read_run(path), gold, 5) == pytest.approx((0.5 + 1 + 0) / 3)


def test_average_precision_matches_trectools_on_two_relevant() -> None:
    # relevant at ranks 1 and 3 of 5: (1/1 + 2/3) / 2
    assert average_precision_at(["a", "x", "b", "y", "z"], {"a", "b"}, 5) == pytest.approx((1 + 2 / 3) / 2)
    assert average_precision_at(["x", "a"], {"a"}, 1) == 0.0


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from("abcdefgh"), unique=True, max_size=8), st.sets(st.sampled_from("abcdefgh"), min_size=1),
       st.integers(1, 10))
def test_average_precision_is_a_fraction_and_perfect_when_gold_leads(ranked: list[str], gold: set[str], k: int) -> None:
    value = average_precision_at(ranked, gold, k)
    assert 0.0 <= value <= 1.0
    perfect = sorted(gold) + [d for d in ranked if d not in gold]
    if len(gold) <= k:
        assert average_precision_at(perfect, gold, k) == pytest.approx(1.0)
