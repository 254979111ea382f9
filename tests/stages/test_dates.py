"""Dates: detection, normalisation, anchoring, year inference, captions and the timeline."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsforensics.document import Document, Metadata, Removed
from newsforensics.pipeline import Pipeline
from newsforensics.stages.dates import find_dates, supported_languages, timeline

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "dates"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
DATES = Pipeline(["segment", "dates"])


def _dates(text: str, language: str = "en", published: str | None = None) -> Document:
    meta = Metadata(language=language, published=published,
                    published_source="input" if published else None)
    return DATES(Document(text, meta=meta))


def _values(doc: Document) -> dict[str, tuple[str | None, str | None]]:
    return {s.text: (s.attrs["value"], s.attrs.get("end_value")) for s in doc.get("dates")}


def _assert_invariant(doc: Document) -> None:
    for span in doc.get("dates"):
        assert doc.text[span.start:span.end] == span.text


def test_explicit_dates_in_english() -> None:
    doc = _dates(
        "The port reopened on 4 June 2021. Inspectors returned on June 9, 2021, and again on "
        "2021-07-01. A report dated 12/31/2020 was cited, and the ban of March 2020 lifted."
    )
    assert _values(doc) == {
        "4 June 2021": ("2021-06-04", None),
        "June 9, 2021": ("2021-06-09", None),
        "2021-07-01": ("2021-07-01", None),
        "12/31/2020": ("2020-12-31", None),
        "March 2020": ("2020-03", None),
    }
    assert {s.attrs["anchor"] for s in doc.get("dates")} == {"explicit"}
    assert doc.get("dates")[-1].attrs["granularity"] == "month"
    _assert_invariant(doc)


def test_may_the_verb_is_not_a_month() -> None:
    doc = _dates("Prices may rise, and the board may meet again. They may 2 days later agree.",
                 published="2022-08-10")
    assert doc.get("dates") == []
    doc = _dates("Talks may resume in May, the envoy said on May 3.", published="2022-04-20")
    assert _values(doc) == {"May": ("2022-05", None), "May 3": ("2022-05-03", None)}


@pytest.mark.parametrize(("text", "expected"), [
    ("Strikes continued from 14 March to 27 March 2019 near the border.",
     {"from 14 March to 27 March 2019": ("2019-03-14", "2019-03-27")}),
    ("The fair runs between 1 and 3 April 2020.", {"between 1 and 3 April 2020": ("2020-04-01", "2020-04-03")}),
    ("Voting is open March 14-27, 2024.", {"March 14-27, 2024": ("2024-03-14", "2024-03-27")}),
    ("The truce held from 28 December 2023 to 3 January.",
     {"from 28 December 2023 to 3 January": ("2023-12-28", "2024-01-03")}),
    ("The mission lasted from 2014 to 2017.", {"2014 to 2017": ("2014", "2017")}),
])
def test_ranges(text: str, expected: dict[str, tuple[str, str]]) -> None:
    doc = _dates(text)
    assert _values(doc) == expected
    assert [s.label for s in doc.get("dates")] == ["date-range"]


def test_two_dates_joined_by_and_are_not_a_range() -> None:
    doc = _dates("Protests took place on 3 May 2021 and 9 May 2021.")
    assert [s.label for s in doc.get("dates")] == ["date", "date"]


def test_relative_dates_resolve_against_the_publication_date() -> None:
    doc = _dates(
        "The minister resigned yesterday. On Monday the cabinet met, and last week the "
        "opposition called a vote. Two weeks ago nobody expected it; the vote is next Friday "
        "and results come later this month.",
        published="2023-05-10",  # a Wednesday
    )
    values = _values(doc)
    assert values["yesterday"] == ("2023-05-09", None)
    assert values["Monday"] == ("2023-05-08", None)
    assert values["last week"] == ("2023-05-01", "2023-05-07")
    assert values["next Friday"] == ("2023-05-12", None)
    assert values["later this month"] == ("2023-05", None)
    assert all(s.attrs["relative"] and s.attrs["anchor"] == "published" for s in doc.get("dates"))


def test_a_bare_weekday_of_the_publication_day_is_that_day() -> None:
    doc = _dates("The ministry said on Friday that talks failed. Last Friday the envoy left, and "
                 "on Thursday the army moved.", published="2019-03-29")  # a Friday
    values = _values(doc)
    assert values["Friday"] == ("2019-03-29", None)
    assert values["Last Friday"] == ("2019-03-22", None)
    assert values["Thursday"] == ("2019-03-28", None)


def test_last_and_next_month_names_point_away_from_the_publication_month() -> None:
    doc = _dates("Talks began last September and stalled last May; they resume next March, "
                 "and in April a vote is due.", published="2019-03-12")
    values = _values(doc)
    assert values["last September"] == ("2018-09", None)
    assert values["last May"] == ("2018-05", None)
    assert values["next March"] == ("2020-03", None)
    assert values["April"] == ("2019-04", None)


def test_relative_dates_without_an_anchor_stay_unresolved() -> None:
    doc = _dates("The minister resigned yesterday, and on Monday the cabinet met.")
    assert [s.attrs["value"] for s in doc.get("dates")] == [None, None]
    assert all("publication date" in s.attrs["note"] for s in doc.get("dates"))
    assert doc.meta.published is None


def test_year_is_inferred_from_explicit_dates_when_publication_is_missing() -> None:
    doc = _dates(
        "Flood warning lifted\n\n"
        "The river peaked on November 2, officials said. Between 25 and 28 October 2022 "
        "rainfall doubled, and the dam was inspected on October 30."
    )
    assert doc.meta.published == "2022"
    assert doc.meta.published_source == "inferred-from-text"
    assert doc.sections["published_inferred"]["not_before"] == "2022-11-02"  # raised by "November 2"
    values = _values(doc)
    assert values["November 2"] == ("2022-11-02", None)
    assert values["October 30"] == ("2022-10-30", None)
    assert any(w.code == "published-inferred" and "2022" in w.message for w in doc.warnings)


def test_month_day_takes_the_year_nearest_the_publication_date() -> None:
    doc = _dates("Snow fell on December 28 and the roads reopened on January 2.", published="2024-01-05")
    assert _values(doc) == {"December 28": ("2023-12-28", None), "January 2": ("2024-01-02", None)}


def test_given_publication_date_is_kept() -> None:
    doc = _dates("The ceasefire of 3 March 2015 held until March 9.", published="2015-03-20")
    assert doc.meta.published == "2015-03-20"
    assert doc.meta.published_source == "input"
    assert _values(doc)["March 9"] == ("2015-03-09", None)


def test_caption_dates_are_the_photos_not_the_articles() -> None:
    text = "Mayor opens bridge\n\nThe mayor opened the bridge on June 3."
    doc = Document(text, meta=Metadata(language="en"))
    doc.removed.append(Removed(0, 0, "The old bridge, photographed on August 14, 2009 © Agency",
                               "caption", "photo caption with credit"))
    DATES(doc)
    assert doc.removed[0].attrs["dates"] == ["2009-08-14"]
    assert doc.meta.published is None  # a caption never dates the article
    assert _values(doc) == {"June 3": (None, None)}


def test_a_caption_dated_long_before_the_article_flags_recycled_imagery() -> None:
    text = "Chemical provocation planned\n\nOfficers arrived in Idlib, the ministry said on March 30, 2019."
    doc = Document(text, meta=Metadata(language="en"))
    doc.removed.append(Removed(0, 0, "Russian military inspect a workshop in Aleppo, November 14, 2016 © / Ruptly",
                               "caption", "photo caption with credit"))
    doc.removed.append(Removed(0, 0, "Officers in Idlib, March 29, 2019 © Agency", "caption", "photo caption"))
    DATES(doc)
    old, fresh = doc.removed
    assert old.attrs["recycled"]["caption_date"] == "2016-11-14"
    assert old.attrs["recycled"]["article_date"] == "2019-03-30"
    assert old.attrs["recycled"]["days_before"] > 800
    assert "recycled" not in fresh.attrs
    assert any(w.code == "recycled-imagery" for w in doc.warnings)


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("fr", ("Le ministre a déclaré lundi dernier que du 14 au 27 mars 2019 les frappes ont "
     "continué. Hier, le 1er avril, il y a deux jours."),
     {"lundi dernier": "2019-04-01", "du 14 au 27 mars 2019": "2019-03-14", "Hier": "2019-04-01",
      "1er avril": "2019-04-01", "il y a deux jours": "2019-03-31"}),
    ("de", ("Am Montag sagte sie, vom 14. bis 27. März 2019 seien Angriffe erfolgt. Gestern "
     "kam die Bestätigung, datiert 14.03.2019, vor zwei Tagen."),
     {"Am Montag": "2019-04-01", "vom 14. bis 27. März 2019": "2019-03-14", "Gestern": "2019-04-01",
      "14.03.2019": "2019-03-14", "vor zwei Tagen": "2019-03-31"}),
    ("ru", ("В понедельник он заявил, что с 14 по 27 марта 2019 года шли удары. Вчера, 1 апреля, "
     "в прошлом году."),
     {"В понедельник": "2019-04-01", "с 14 по 27 марта 2019 года": "2019-03-14",
      "Вчера": "2019-04-01", "1 апреля": "2019-04-01", "в прошлом году": "2018"}),
    ("ar", "قال المتحدث يوم الاثنين إن الضربات استمرت من 14 إلى 27 مارس 2019. أمس، في 1 آذار 2019.",
     {"يوم الاثنين": "2019-04-01", "من 14 إلى 27 مارس 2019": "2019-03-14", "أمس": "2019-04-01",
      "1 آذار 2019": "2019-03-01"}),
    ("es", "El lunes pasado dijo que del 14 al 27 de marzo de 2019 hubo ataques; hace dos días.",
     {"El lunes pasado": "2019-04-01", "del 14 al 27 de marzo de 2019": "2019-03-14",
      "hace dos días": "2019-03-31"}),
])
def test_other_languages(language: str, text: str, expected: dict[str, str]) -> None:
    doc = _dates(text, language=language, published="2019-04-02")
    assert {k: v[0] for k, v in _values(doc).items()} == expected
    ranges = [s for s in doc.get("dates") if s.label == "date-range"]
    assert [s.attrs["end_value"] for s in ranges] == ["2019-03-27"]
    _assert_invariant(doc)


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("ar", "وقع الهجوم في 29 اذار 2019 في إدلب", {"29 اذار 2019": "2019-03-29"}),
    ("ar", "في 29 آذار/مارس 2019 قال المتحدث", {"29 آذار/مارس 2019": "2019-03-29"}),
    ("ar", "بتاريخ ٢٩ آذار ٢٠١٩", {"٢٩ آذار ٢٠١٩": "2019-03-29"}),
    ("ar", "في 5 تشرين الاول 2019 وفي 3 ابريل 2019", {"5 تشرين الاول 2019": "2019-10-05",
                                                  "3 ابريل 2019": "2019-04-03"}),
    ("ar", "بتاريخ 29-03-2019", {"29-03-2019": "2019-03-29"}),
    ("fr", "le 29-03-2019", {"29-03-2019": "2019-03-29"}),
    ("it", "il 29.03.2019 e il 29 marzo 2019", {"29.03.2019": "2019-03-29", "29 marzo 2019": "2019-03-29"}),
    ("uk", "29 березня 2019 року", {"29 березня 2019 року": "2019-03-29"}),
])
def test_arabic_month_names_and_numeric_dates(language: str, text: str, expected: dict[str, str]) -> None:
    doc = _dates(text, language=language, published="2019-04-02")
    assert {k: v[0] for k, v in _values(doc).items()} == expected


def test_every_language_in_the_lexicon_compiles() -> None:
    assert {"en", "fr", "de", "es", "it", "ru", "uk", "ar"} <= set(supported_languages())
    for language in supported_languages():
        assert find_dates("1 2 3", language) == []


def test_unknown_language_degrades_with_a_warning() -> None:
    doc = _dates("Kesho ni tarehe 3 Machi 2020.", language="sw")
    assert doc.get("dates") == []
    assert any(w.code == "dates-language" for w in doc.warnings)


def test_timeline_is_sorted_and_carries_voice_and_publication() -> None:
    text = 'The envoy said on March 3 that "talks failed". The summit was held on 1 March 2021.'
    doc = _dates(text, published="2021-03-10")
    first = doc.get("sentences")[0]
    doc.add("voice", [doc.span(first.start, first.end, "quoted", stage="quotes", speaker="The envoy",
                               quote="q1")])
    rows = timeline(doc)
    assert [(r["event"], r["date"]) for r in rows] == [
        ("mention", "2021-03-01"), ("mention", "2021-03-03"), ("published", "2021-03-10")]
    quoted = rows[1]
    assert (quoted["speaker"], quoted["voice"], quoted["quote"]) == ("The envoy", "quoted", "q1")
    assert text[quoted["start"]:quoted["end"]] == quoted["sentence"]
    assert rows[0]["voice"] is None


def test_fixture_article_with_boilerplate_layout() -> None:
    text = (FIXTURES / "harbour-strike.txt").read_text(encoding="utf-8")
    doc = _dates(text)
    assert doc.meta.published == "2023"
    values = _values(doc)
    assert values["Thursday"] == (None, None)  # relative, and the inferred year is no day anchor
    assert values["September 18"] == ("2023-09-18", None)
    _assert_invariant(doc)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("0123456789 -–/.,\nMayMarch Monday 2019 de au до و")),
               max_size=200), st.sampled_from(["en", "fr", "de", "ru", "ar"]))
def test_arbitrary_text_never_raises_and_keeps_offsets(text: str, language: str) -> None:
    doc = _dates(text, language=language, published="2020-02-29")
    _assert_invariant(doc)
    timeline(doc)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_raises(text: str) -> None:
    _assert_invariant(_dates(text))


def test_huge_input_stays_fast() -> None:
    import time

    text = ("1 " * 200_000) + ("March " * 50_000) + ("- " * 100_000) + ("1 March - " * 20_000)
    doc = Document(text, meta=Metadata(language="en"))
    started = time.process_time()
    Pipeline(["dates"])(doc)  # the stage alone: no sentence layer is needed
    assert time.process_time() - started < 10
    assert doc.get("dates")


@pytest.fixture(scope="module")
def southfront() -> str:
    path = SHARED / "examples" / "southfront-idlib.txt"
    if not path.is_file():
        pytest.skip("../shared/examples is not present (research data is not part of the repo)")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("stages", [["language", "segment", "dates"],
                                    ["language", "segment", "entities", "dates"]])
def test_southfront_example(southfront: str, stages: list[str]) -> None:
    from newsforensics.ingest import load

    doc = Pipeline(stages)(load(southfront, source_name="southfront-idlib.txt"))
    assert doc.meta.published == "2019"
    assert doc.meta.published_source == "inferred-from-text"
    values = _values(doc)
    assert values["March 30"] == ("2019-03-30", None)
    assert values["March 23"] == ("2019-03-23", None)
    assert values["From 14 March to 27 March 2019"] == ("2019-03-14", "2019-03-27")
    in_text = [v for v, _ in values.values()]
    captions = [r for r in doc.removed if r.kind == "caption"]
    if captions:  # the photo's date belongs to the caption only
        assert "2016-11-14" not in in_text
        assert any("2016-11-14" in r.attrs.get("dates", []) for r in captions)
    _assert_invariant(doc)


@pytest.mark.parametrize("language", supported_languages())
def test_month_names_are_computed_as_dateparser_reads_them(language: str) -> None:
    # _parse_month computes what dateparser used to be asked; both must agree for every month
    # of every language, with and without a year (year 0000 is no date for either).
    import datetime as dt

    from newsforensics.stages import dates

    lex = dates.lexicon(language)
    for index, name in enumerate(lex.canonical_months):
        for year in (None, "0000", "0999", "1917", "2000", "2019", "2199"):
            parts = ("month", "year") if year else ("month",)
            expression = name + (f" {year}" if year else "")
            parsed = dates._dateparse(expression, language, parts, dates.NEUTRAL_BASE)
            expected = parsed[0].replace(day=1) if parsed else None
            assert dates._parse_month(lex, name, year) == expected, (language, name, year)
            assert index + 1 == (expected.month if expected else index + 1)
    assert dates._parse_month(lex, lex.canonical_months[2].upper() + ".", "2019") == dt.date(2019, 3, 1)
