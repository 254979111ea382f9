"""ClaimReview JSON-LD (every shape we meet), ClaimReview CSV and plain claim lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsforensics.errors import InputError
from newsforensics.factchecks.importers import (claimreviews_from_csv, claimreviews_from_text, plain_list,
                                                read_factchecks, sniff, stable_id)


def test_graph_form_reads_every_claimreview_with_verdict_link_and_people(fixtures: Path) -> None:
    records = list(read_factchecks(fixtures / "claimreview-graph.json"))
    assert [r.claim[:15] for r in records] == ["The Pentagon ru", "French intellig"]
    first, second = records
    assert first.verdict == "False"
    assert first.url == "https://factcheck.example.org/2022/biolabs"
    assert first.publisher == "Example Fact Check"
    assert first.claimant == "A television host"
    assert first.published == "2022-03-11" and first.language == "en"
    assert first.extra == {"claim_date": "2022-03-08"}
    assert second.verdict == "2 (scale 1–5)"  # no alternateName: the rating on its scale


def test_html_page_yields_the_claimreview_inside_a_webpage(fixtures: Path) -> None:
    assert sniff(fixtures / "factcheck-page.html") == "claimreview"
    (record,) = read_factchecks(fixtures / "factcheck-page.html")
    assert record.verdict == "Trompeur" and record.language == "fr"
    assert record.claim.startswith("Des drones ont été lancés")


def test_single_object_list_and_json_lines_forms() -> None:
    review = {"@type": "ClaimReview", "claimReviewed": "A claim.", "url": "https://x.example/1"}
    for text in (json.dumps(review), json.dumps([review, dict(review, url="https://x.example/2")]),
                 json.dumps(review) + "\n" + json.dumps(dict(review, url="https://x.example/2")) + "\n"):
        records = list(claimreviews_from_text(text))
        assert records[0].claim == "A claim." and records[0].url == "https://x.example/1"


def test_fact_check_tools_export_is_read_per_review() -> None:
    export = {"claims": [{"text": "Drones flew from the coast.", "claimant": "A ministry",
                          "claimReview": [{"publisher": {"name": "Checker", "site": "checker.example"},
                                           "url": "https://checker.example/a", "textualRating": "Mostly false",
                                           "languageCode": "en", "reviewDate": "2024-01-02T00:00:00Z"}]}]}
    (record,) = claimreviews_from_text(json.dumps(export))
    assert (record.verdict, record.publisher, record.claimant) == ("Mostly false", "Checker", "A ministry")


def test_ids_are_stable_so_a_reimport_updates_rather_than_duplicates() -> None:
    review = json.dumps({"@type": "ClaimReview", "claimReviewed": "A claim.", "url": "https://x.example/1"})
    assert next(claimreviews_from_text(review)).id == next(claimreviews_from_text(review)).id
    assert stable_id("a", "b") != stable_id("a", "c")


def test_csv_headers_match_loosely_and_rows_without_a_claim_are_skipped(fixtures: Path) -> None:
    records = list(read_factchecks(fixtures / "claimreviews.csv"))
    assert len(records) == 2
    assert records[1].claim == 'The "White Helmets" stage rescue videos with actors.'
    assert records[0].verdict == "False" and records[0].claimant == "State television"
    assert records[0].url == "https://factcheck.example.org/mh17-jet"


def test_plain_list_takes_lines_and_tab_separated_rows(fixtures: Path) -> None:
    records = list(read_factchecks(fixtures / "claims.txt"))
    assert [r.claim[:8] for r in records] == ["Vaccines", "The dron", "The coro"]
    assert records[1].id == "fc-drones" and records[1].verdict == "Unproven"
    assert records[1].url == "https://newsroom.example.com/checks/drones"


@pytest.mark.parametrize(("content", "message"), [
    (b"\x00\x01binary", "binary"),
    (b'{"@type": "ClaimReview", ', "not valid JSON"),
    (b'{"@type": "WebPage"}', "no ClaimReview"),
    (b"\xff\xfe\x00", "binary"),
])
def test_bad_json_files_fail_with_one_clear_sentence(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "reviews.json"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        list(read_factchecks(path))


def test_csv_without_a_claim_column_and_missing_files_are_input_errors(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("url,rating\nhttps://a,False\n", encoding="utf-8")
    with pytest.raises(InputError, match="no claim column"):
        list(read_factchecks(path))
    with pytest.raises(InputError, match="no such file"):
        list(read_factchecks(tmp_path / "missing.json"))
    with pytest.raises(InputError, match="unknown fact-check format"):
        list(read_factchecks(path, "xml"))


_line = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e"
                              "\x85\u2028\u2029"), max_size=60)


@settings(max_examples=60, deadline=None)
@given(st.lists(_line, max_size=12))
def test_plain_list_never_fails_and_keeps_every_claim_line(lines: list[str]) -> None:
    records = list(plain_list("\n".join(lines)))
    expected = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    assert len(records) <= len(expected)
    assert all(r.claim and r.id for r in records)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_line, _line), max_size=8))
@example(rows=[("'", "'")])  # apostrophes once taken for the quote character
def test_csv_round_trips_any_claim_text(rows: list[tuple[str, str]]) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["claimReviewed", "url"])
    writer.writerows(rows)
    records = list(claimreviews_from_csv(buffer.getvalue()))
    assert [r.claim for r in records] == [" ".join(c.split()) for c, _ in rows if c.strip()]
