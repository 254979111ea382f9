"""Entities: spaCy NER corrected by the gazetteer and the organisation list, with clusters."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsforensics.document import Document, Metadata
from newsforensics.pipeline import Pipeline

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "entities"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
PLACE_LABELS = {"GPE", "LOC", "FAC"}


@pytest.fixture(scope="module")
def run():
    pipeline = Pipeline(["language", "segment", "entities", "places"])

    def analyse(text: str, language: str | None = "en") -> Document:
        return pipeline(Document(text, meta=Metadata(language=language)))

    return analyse


def labels_of(doc: Document, name: str) -> set[str]:
    return {e.label for e in doc.get("entities") if e.text == name}


def assert_invariant(doc: Document) -> None:
    for layer in ("entities", "places"):
        for span in doc.get(layer):
            assert doc.text[span.start:span.end] == span.text
            assert span.text == span.text.strip() and "\n" not in span.text


def test_syrian_towns_in_other_wording_are_places_not_people(run) -> None:
    doc = run(
        "Rebel convoys left Maaret Hurma before dawn and regrouped near Khan Sheikhoun, a "
        "monitor said. Residents of Kafr Zaita and Saraqeb reported heavy air strikes."
    )
    for name in ("Maaret Hurma", "Khan Sheikhoun", "Kafr Zaita", "Saraqeb"):
        assert labels_of(doc, name) and labels_of(doc, name) <= PLACE_LABELS, name
    assert_invariant(doc)


def test_organisations_from_the_list_win_over_split_ner(run) -> None:
    doc = run(
        "Fighters of Hay'at Tahrir al-Sham and Hurras al-Din shelled the area, according to "
        "volunteers of the white helmets group and the Syrian Civil Defence."
    )
    orgs = {e.attrs.get("known_as") for e in doc.get("entities") if e.label == "ORG"}
    assert {"Hayat Tahrir al-Sham", "Horas al-Din", "White Helmets"} <= orgs
    assert not any(e.label == "PERSON" and "Sham" in e.text for e in doc.get("entities"))
    # "white helmets" in lower case is a common phrase, not the organisation
    assert not any(e.text == "white helmets" for e in doc.get("entities"))


def test_surname_mentions_join_the_full_name_and_titles_are_stripped(run) -> None:
    doc = run(
        "Foreign Minister Annalena Baerbock met Lt. Gen. Oleksandr Syrskyi in Kyiv on Monday. "
        "Baerbock said Germany would send more air defence. Syrskyi thanked her."
    )
    people = [e for e in doc.get("entities") if e.label == "PERSON"]
    by_text = {e.text: e for e in people}
    assert by_text["Baerbock"].attrs["canonical"] == "Annalena Baerbock"
    assert by_text["Baerbock"].attrs["cluster"] == by_text["Annalena Baerbock"].attrs["cluster"]
    assert by_text["Annalena Baerbock"].attrs["title"] == "Foreign Minister"
    assert "Kyiv" in {p.text for p in doc.get("places")}


def test_ambiguous_surname_stays_apart(run) -> None:
    doc = run(
        "Senator John Miller and his cousin Sarah Miller disagreed on the bill in Washington. "
        "Miller said the vote would be close."
    )
    lone = [e for e in doc.get("entities") if e.text == "Miller"]
    full = {e.attrs["cluster"] for e in doc.get("entities") if e.text in ("John Miller", "Sarah Miller")}
    assert len(full) == 2
    assert all(e.attrs["cluster"] not in full for e in lone)


def test_person_names_that_are_also_towns_stay_people(run) -> None:
    doc = run(
        "Michael Jordan said he would donate to the fund. Jordan spoke to The Washington Post "
        "on Friday."
    )
    assert "PERSON" in labels_of(doc, "Michael Jordan")
    assert not any(p.text == "Washington" for p in doc.get("places"))
    assert not any(p.text == "Jordan" for p in doc.get("places"))


def test_headline_in_title_case_does_not_become_an_organisation(run) -> None:
    doc = run(
        "Belgian Officers Are Preparing New Provocation in Syria's Idlib: Report\n\n"
        "Officers arrived in Idlib last week, the report said."
    )
    assert not any("Are Preparing" in e.text for e in doc.get("entities"))
    assert labels_of(doc, "Idlib") <= PLACE_LABELS


def test_ukrainian_wire_story(run) -> None:
    doc = run((FIXTURES / "frontline_wire.txt").read_text(encoding="utf-8"))
    places = {p.text: p for p in doc.get("places")}
    for name in ("Kupiansk", "Izium", "Chasiv Yar", "Pokrovsk", "Zaporizhzhia", "Mykolaiv", "Kyiv"):
        assert name in places, name
        assert places[name].attrs["country"] == "UA", name
    assert all(e.label not in {"PERSON", "ORG"} for e in doc.get("entities") if e.text in places)
    governor = {e.attrs["canonical"] for e in doc.get("entities") if e.text == "Synehubov"}
    assert governor == {"Oleh Synehubov"}
    assert_invariant(doc)


def test_uncovered_language_is_skipped_with_a_warning(run) -> None:
    doc = run("Rosyjskie siły zbombardowały Idlib i Aleppo we wtorek, podało obserwatorium.", "pl")
    assert "entities" not in doc.layers
    assert any(w.code == "language-not-covered" and w.stage == "entities" for w in doc.warnings)


def test_whitespace_and_line_breaks_never_inside_entities(run) -> None:
    doc = run("0 $\n2,500 $\n\nThe Russian MoD\n\n\nsaid on Friday that NATO\nwas to blame.")
    assert_invariant(doc)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(
    st.sampled_from(list("abcXYZ ’'\n.,-\"") + ["Kyiv", " in ", "Sheikh ", "Idlib", "Khan",
                                                  " al-", "Sham", "The ", "Mr. ", "’s", "\n\n"]),
    max_size=60,
).map("".join))
def test_spans_satisfy_the_invariant_on_arbitrary_text(run, text: str) -> None:
    assert_invariant(run(text))


def test_southfront_example(shared_dir) -> None:
    from newsforensics.ingest import load

    path = SHARED / "examples" / "southfront-idlib.txt"
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    doc = Pipeline(["language", "segment", "entities", "places"])(load(path.read_bytes()))
    places = {p.text: p for p in doc.get("places")}
    expected = ["Syria", "Idlib", "Saraqib", "Khan Shaykhun", "Maarrat Horma", "Kafr Zita", "Damascus"]
    if "Aleppo" in doc.text:  # only in the photo caption, which extraction may set apart
        expected.append("Aleppo")
    for name in expected:
        assert name in places, name
        assert isinstance(places[name].attrs["lat"], float) and places[name].attrs["country"] == "SY"
        assert labels_of(doc, name) <= PLACE_LABELS, name
    orgs = {e.attrs.get("known_as") or e.attrs["canonical"] for e in doc.get("entities") if e.label == "ORG"}
    assert {"Hayat Tahrir al-Sham", "Horas al-Din", "White Helmets", "Russian Aerospace Forces"} <= orgs
    kupchishin = {e.attrs["cluster"] for e in doc.get("entities") if "Kupchishin" in e.text}
    assert len(kupchishin) == 1
    assert_invariant(doc)


def test_short_place_names_need_a_cue_and_one_sense_holds_per_article() -> None:
    from newsforensics.document import Document
    from newsforensics.pipeline import Pipeline

    text = (
        "Fighters entered the Malian city of Gao on Sunday, officials in Bamako said.\n"
        "Bamako and its allies believe the attack was planned in neighbouring Niger.\n"
        "Gao told reporters he had not been consulted."
    )
    doc = Pipeline(["language", "segment", "entities", "places"])(Document(text))
    labels = {(e.text, e.start): e.label for e in doc.get("entities")}
    assert labels[("Gao", text.index("Gao"))] in {"GPE", "LOC"}
    assert all(label in {"GPE", "LOC"} for (name, _), label in labels.items() if name == "Bamako")
    assert {p.attrs["country"] for p in doc.get("places") if p.text == "Gao"} == {"ML"}


def test_transliterated_places_and_regions_are_geocoded(run) -> None:
    doc = run("US forces at al-Tanf were attacked. Rebels shelled Sarmada near Idlib. In Bolivia, "
              "troops fired on protesters at Senkata. The war has spread across the Middle East.")
    places = {p.text: (p.attrs["name"], p.attrs["country"], p.attrs["feature"]) for p in doc.get("places")}
    assert places["al-Tanf"][1] == "SY"
    assert places["Sarmada"][1] == "SY"
    assert places["Senkata"][1] == "BO"
    assert places["Middle East"][2] == "RGN"  # the region, not a hamlet in Maryland
    assert_invariant(doc)


def test_a_name_the_text_treats_as_a_person_is_a_person_everywhere(run) -> None:
    doc = run('"I want to go home," said the boy, Hassan. Later Hassan said he was not afraid. '
              "Assange was arrested in London. Assange's lawyers said he would appeal.")
    assert labels_of(doc, "Hassan") == {"PERSON"}
    assert labels_of(doc, "Assange") == {"PERSON"}
    assert not any(p.text == "Hassan" for p in doc.get("places"))
    assert any(p.text == "London" for p in doc.get("places"))
