"""Places: the gazetteer (keys, variants, loading) and geocoding with the article's context."""

from __future__ import annotations

import csv
import time
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsforensics.document import Document, Metadata
from newsforensics.models.gazetteer import load_gazetteer, name_key, skeleton_key
from newsforensics.pipeline import Pipeline


@pytest.fixture(scope="module")
def run():
    pipeline = Pipeline(["language", "segment", "entities", "places"])
    return lambda text: pipeline(Document(text, meta=Metadata(language="en")))


@pytest.mark.parametrize("a, b", [
    ("Khan Shaykhun", "Khan Sheikhoun"),
    ("Khān Shaykhūn", "Khan-Sheikhun"),
    ("Deir ez-Zor", "Deir al Zor"),
    ("Ma'arrat an-Nu'man", "Maarrat al-Numan"),
    ("Ḩuwwārah", "Huwwara"),
])
def test_transliteration_variants_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_vowel_variants_share_a_skeleton() -> None:
    assert skeleton_key("Maarrat Horma") == skeleton_key("Ma'arrat Hurmah") == skeleton_key("Maaret Hurmeh")


@given(st.text(max_size=80))
def test_keys_never_fail(name: str) -> None:
    assert isinstance(name_key(name), str) and "\t" not in name_key(name)
    assert isinstance(skeleton_key(name), str)


@pytest.mark.parametrize("name, country, feature", [
    ("Kiev", "UA", "PPLC"), ("Kharkov", "UA", "PPL"), ("Idleb", "SY", "PPL"), ("U.S.", "US", "PCLI"),
    ("Britain", "GB", "PCLI"), ("Europe", "", "CONT"), ("Gaza Strip", "PS", "RGN"),
])
def test_gazetteer_knows_news_spellings(name: str, country: str, feature: str) -> None:
    places = load_gazetteer().lookup(name)
    assert any(p.country == country and p.feature == feature for p in places), places


def test_supplement_rows_are_in_the_built_index() -> None:
    folder = resources.files("newsforensics").joinpath("data/gazetteer")
    lines = [line for line in folder.joinpath("supplement.tsv").read_text("utf-8").splitlines()
             if not line.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        found = load_gazetteer().lookup(row["name"])
        assert any(p.source == "supplement" and p.geonameid is None for p in found), row["name"]


def test_gazetteer_loads_fast() -> None:
    load_gazetteer.cache_clear()
    started = time.process_time()
    load_gazetteer()
    assert time.process_time() - started < 2.5  # CPU seconds (~0.3): wall time measures the neighbours on a shared machine


def test_places_carry_coordinates_and_country(run) -> None:
    doc = run("Thousands fled Kharkiv and Izyum toward Dnipro, while sirens sounded in Kyiv.")
    places = {p.text: p.attrs for p in doc.get("places")}
    assert {"Kharkiv", "Izyum", "Dnipro", "Kyiv"} <= set(places)
    kyiv = places["Kyiv"]
    assert kyiv["country"] == "UA" and kyiv["country_name"] == "Ukraine"
    assert 50 < kyiv["lat"] < 51 and 30 < kyiv["lon"] < 31
    assert isinstance(kyiv["geonameid"], int) and kyiv["source"] == "geonames"
    entity_ids = {e.id for e in doc.get("entities")}
    assert all(p.attrs["entity"] in entity_ids for p in doc.get("places"))


def test_article_context_picks_the_right_namesake(run) -> None:
    syria = run("Government forces advanced on Idlib and Hama, and shells fell on Damascus.")
    damascus = next(p for p in syria.get("places") if p.text == "Damascus")
    assert damascus.attrs["country"] == "SY"
    usa = run("Storms hit Atlanta and Savannah, and the governor of Georgia declared an emergency.")
    georgia = next(p for p in usa.get("places") if p.text == "Georgia")
    assert georgia.attrs["country"] == "US" and georgia.attrs["feature"] == "ADM1"


def test_countries_win_over_namesake_towns(run) -> None:
    doc = run("Ministers from Georgia and Armenia met in Brussels.")
    georgia = next(p for p in doc.get("places") if p.text == "Georgia")
    assert georgia.attrs["feature"] == "PCLI" and georgia.attrs["country"] == "GE"


@pytest.fixture(scope="module")
def run_in():
    pipeline = Pipeline(["segment", "entities", "places"])
    return lambda text, language: pipeline(Document(text, meta=Metadata(language=language)))


KYIV, IDLIB, KHAN_SHAYKHUN = 703448, 169389, 168325


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("ru", "Удар по Хан-Шейхуну в провинции Идлиб; в Идлибе и Киеве.",
     {"Хан-Шейхуну": KHAN_SHAYKHUN, "Идлиб": IDLIB, "Идлибе": IDLIB, "Киеве": KYIV}),
    ("uk", "У Києві кажуть, що в Ідлібі та Хан-Шейхуні.",
     {"Києві": KYIV, "Ідлібі": IDLIB, "Хан-Шейхуні": KHAN_SHAYKHUN}),
    ("ar", "وقع الهجوم في خان شيخون بريف إدلب، وقالت كييف.",
     {"خان شيخون": KHAN_SHAYKHUN, "إدلب": IDLIB, "كييف": KYIV}),
    ("ar", "وفي إدلب وبإدلب ولإدلب", {"إدلب": IDLIB, "وبإدلب": IDLIB, "ولإدلب": IDLIB}),
    ("fr", "Les frappes sur Khan Cheikhoun, près d'Idlib, et à Kiev.",
     {"Khan Cheikhoun": KHAN_SHAYKHUN, "d'Idlib": IDLIB, "Kiev": KYIV}),
    ("de", "In Chan Schaichun in der Provinz Idlib und in Kiew.",
     {"Chan Schaichun": KHAN_SHAYKHUN, "Idlib": IDLIB, "Kiew": KYIV}),
    ("es", "El ataque en Jan Sheijun, en la provincia de Idlib; en Kiev.",
     {"Jan Sheijun": KHAN_SHAYKHUN, "Idlib": IDLIB, "Kiev": KYIV}),
    ("it", "L'attacco a Khan Shaykhun, nella provincia di Idlib; a Kyiv.",
     {"Khan Shaykhun": KHAN_SHAYKHUN, "Idlib": IDLIB, "Kyiv": KYIV}),
])
def test_places_in_every_script_and_inflection(run_in, language, text, expected) -> None:
    doc = run_in(text, language)
    places = doc.get("places")
    assert len(places) == len(expected)
    for surface, geonameid in expected.items():  # the entity may leave out a clitic ("d'")
        start = text.index(surface)
        assert any(p.start < start + len(surface) and start < p.end and p.attrs["geonameid"] == geonameid
                   for p in places), surface


def test_country_names_in_other_languages_come_from_cldr(run_in) -> None:
    doc = run_in("Die Bundesregierung in Deutschland, Syriens Nachbarn und Russland.", "de")
    assert {p.text: p.attrs["country"] for p in doc.get("places")} == {
        "Deutschland": "DE", "Syriens": "SY", "Russland": "RU"}


def test_function_words_and_small_villages_are_not_places(run_in) -> None:
    doc = run_in("Мир знает. Он сказал, что Вера и Надежда пришли.", "ru")
    assert doc.get("places") == []


def test_a_covered_language_without_places_says_why(run_in) -> None:
    doc = run_in("Ничего особенного не произошло.", "ru")
    assert doc.get("places") == []
    assert any(w.code == "no-places" and "'ru'" in w.message for w in doc.warnings)


def test_an_uncovered_language_is_said_to_be_uncovered(run_in) -> None:
    doc = run_in("Het gebeurde in Idlib.", "nl")
    assert any(w.code == "language-not-covered" and w.stage == "places" for w in doc.warnings)


@given(st.text(max_size=200), st.sampled_from(["ru", "ar", "de", "fr"]))
def test_text_matching_never_fails_and_keeps_offsets(text: str, language: str) -> None:
    from newsforensics.models.place_names import find_place_names

    for m in find_place_names(text, language, load_gazetteer()):
        assert 0 <= m.start < m.end <= len(text) and m.places
