"""Cross-language cues: places to GeoNames ids, names by skeleton, numbers, dates."""

from __future__ import annotations

from newsforensics.corpus.cues import annotate, arabic_skeleton, name_cue_key, romanise_cyrillic
from newsforensics.document import Document, Metadata

from .conftest import ARTICLES

IDLIB, SARAQIB, SYRIA = 169389, 164816, 163843


def _cues(text: str, language: str, published: str | None = "2019-03-06") -> Document:
    doc = Document(text, meta=Metadata(language=language, published=published))
    annotate(doc)
    return doc


def _places(doc: Document) -> set[int]:
    return {s.attrs["geonameid"] for s in doc.get("places")}


def test_english_lead_gives_places_names_numbers_dates() -> None:
    doc = _cues(ARTICLES["idlib"]["title"] + "\n\n" + ARTICLES["idlib"]["text"], "en")
    assert {IDLIB, SARAQIB, SYRIA} <= _places(doc)
    assert "Viktor Kupchishin" in {s.text for s in doc.get("names")}  # the rank is not part of the name
    assert [s.attrs["value"] for s in doc.get("numbers")] == ["1200"]
    assert [s.attrs["value"] for s in doc.get("dates")] == ["2019-03-05"]
    for layer in ("places", "names", "numbers", "dates"):
        assert all(doc.text[s.start:s.end] == s.text and s.stage == "corpus-cues" for s in doc.get(layer))


def test_words_and_small_towns_alone_are_not_places() -> None:
    doc = _cues("An official said Arnold of the Alliance met Mobile staff. The mobile phone rang in March.", "en")
    assert not doc.get("places")


def test_russian_meets_english_on_places_names_numbers_dates() -> None:
    doc = _cues(ARTICLES["idlib_ru"]["title"] + "\n\n" + ARTICLES["idlib_ru"]["text"], "ru")
    assert IDLIB in _places(doc)
    assert name_cue_key("Виктор Купчишин") == name_cue_key("Viktor Kupchishin")
    assert {s.attrs["key"] for s in doc.get("names")} & {name_cue_key("Viktor Kupchishin")}
    assert [s.attrs["value"] for s in doc.get("numbers")] == ["1200"]
    assert [s.attrs["value"] for s in doc.get("dates")] == ["2019-03-05"]


def test_romanised_offsets_point_back_to_the_original() -> None:
    text = "в Идлибе"
    romanised = romanise_cyrillic(text)
    assert romanised.text == "v Idlibe"
    assert romanised.span(2, 8) == (2, 8)


def test_arabic_place_by_consonant_skeleton() -> None:
    assert arabic_skeleton("إدلب") == "idlb"
    doc = _cues("المسلحون يستعدون لاستفزاز كيميائي في إدلب. فر 1200 شخص", "ar")
    assert IDLIB in _places(doc)
    assert [s.attrs["value"] for s in doc.get("numbers")] == ["1200"]


def test_dates_need_a_year_and_the_verb_may_is_not_a_month() -> None:
    assert not _cues("Officials say 12 may be hurt on 3 June.", "en", published=None).get("dates")
    doc = _cues("le 5 mars, puis le 12 juin 2018", "fr")
    assert [s.attrs["value"] for s in doc.get("dates")] == ["2019-03-05", "2018-06-12"]


def test_years_and_small_counts_are_not_number_cues() -> None:
    doc = _cues("In 2019 there were 3 raids and 45.5 tonnes seized, 1.200 in total.", "de")
    assert [s.attrs["value"] for s in doc.get("numbers")] == ["45.5", "1200"]


def test_existing_layers_are_kept() -> None:
    doc = Document("Idlib and Aleppo.", meta=Metadata(language="en"))
    doc.add("places", [doc.span(0, 5, "place", stage="places", geonameid=1)])
    annotate(doc)
    assert [s.stage for s in doc.get("places")] == ["places"]
