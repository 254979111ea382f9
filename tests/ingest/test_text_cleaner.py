"""The line-level boilerplate cleaner for plain text and flattened page dumps."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsforensics.document import Document
from newsforensics.ingest.text import read_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


def read(name: str) -> tuple[str, Document]:
    raw = (FIXTURES / name).read_text(encoding="utf-8")
    return raw, read_text(raw)


def removed(doc: Document, kind: str | None = None) -> list[str]:
    return [r.text for r in doc.removed if kind is None or r.kind == kind]


def assert_offsets_exact(raw: str, doc: Document) -> None:
    """Every mapped clean character is the same character in the raw input."""
    for clean, raw_start, length in doc.offset_map.segments:
        assert doc.text[clean:clean + length] == raw[raw_start:raw_start + length]
    for r in doc.removed:
        assert raw[r.raw_start:r.raw_end] == r.text


def test_clean_ptc_style_text_is_returned_byte_identical_with_identity_map() -> None:
    raw, doc = read("ptc_style.txt")
    assert doc.text == raw
    assert doc.offset_map.segments == [(0, 0, len(raw))]
    assert doc.removed == []
    assert doc.meta.title == "Harbour Authority Accused of Hiding Dredging Costs"
    (headline,) = doc.get("headline")
    assert (headline.start, headline.end) == (0, len(doc.meta.title))
    assert "He refused." in doc.text.split("\n")  # a short body sentence stays body


def test_scraped_english_page_loses_banner_widgets_and_prompts_but_keeps_every_paragraph() -> None:
    raw, doc = read("scraped_en_cookies.txt")
    title = "Flood Barrier Delayed Again as Contractor Walks Away"
    assert doc.text.startswith(title + "\n\nThe flood barrier meant to protect 40,000 homes")
    assert doc.text.count(title) == 1
    lines = doc.text.split("\n")
    assert "Shares fell." in lines
    assert lines[-1] == "Engineers had warned in March that the foundations were sinking faster than planned."
    reasons = {r.text: r.reason for r in doc.removed}
    assert reasons["Accept all cookies"] == "cookie notice"
    assert reasons["Advertisement"] == "advertisement label"
    assert reasons["14 comments"] == "comment count or comment prompt"
    assert reasons["Facebook Twitter WhatsApp Email"] == "social share buttons or counters"
    assert reasons["Read more: Three towns brace for spring tides"] == "related-content link"
    assert removed(doc, "duplicate-title") == [title]
    (caption,) = [r for r in doc.removed if r.kind == "caption"]
    assert caption.text.startswith("Workers leave the unfinished barrier site")
    assert caption.attrs["credit"] == "Dana Kell / Coastline Press"
    assert_offsets_exact(raw, doc)


def test_french_page_with_lire_aussi_and_euro_widgets() -> None:
    raw, doc = read("scraped_fr_lire_aussi.txt")
    assert doc.meta.title == "Grève des contrôleurs aériens : des centaines de vols annulés à Lyon"
    assert doc.text.split("\n")[2:] == [
        ("Plus de trois cents vols ont été annulés mardi à l'aéroport de Lyon-Saint-Exupéry, "
         "selon la direction générale de l'aviation civile."),
        "« Nous n'avons pas le choix », a déclaré une responsable syndicale, Claire Dufour.",
        "La direction a promis de nouvelles négociations jeudi.",
    ]
    kinds = {r.text: (r.kind, r.reason) for r in doc.removed}
    assert kinds["1 250 €"] == ("boilerplate", "widget: number/currency only")
    assert kinds["Lire aussi : Les aiguilleurs du ciel réclament des embauches"][1] == "related-content link"
    assert kinds["Partagez cet article"][1] == "call to action"
    assert kinds["Nous utilisons des cookies pour vous offrir la meilleure expérience possible."][1] == "cookie notice"
    (caption,) = [r for r in doc.removed if r.kind == "caption"]
    assert caption.attrs["credit"] == "Jean Morel / AFP"
    assert_offsets_exact(raw, doc)


def test_arabic_page_related_and_share_lines_are_cut() -> None:
    raw, doc = read("scraped_ar.txt")
    assert doc.meta.title == "افتتاح جسر جديد فوق نهر النيل في أسوان"
    assert len(doc.text.split("\n")) == 4  # headline, blank, two paragraphs
    assert {r.reason for r in doc.removed} == {
        "widget: number/currency only", "related-content link", "call to action"
    }
    assert_offsets_exact(raw, doc)


def test_hard_wrapped_paragraphs_are_joined_one_paragraph_a_line() -> None:
    raw, doc = read("hard_wrapped.txt")
    paragraphs = doc.text.split("\n")[2:]
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("The agriculture ministry") and paragraphs[0].endswith("on record.")
    assert "wheat harvest" in paragraphs[0]  # the line break became a space
    assert doc.removed == []
    assert_offsets_exact(raw, doc)
    # the joining space has no raw counterpart; the words on both sides map exactly
    joint = doc.text.index("wheat harvest") + len("wheat")
    assert doc.offset_map.to_raw(joint) is None
    assert raw[doc.offset_map.to_raw(joint + 1)] == "h"


def test_text_without_headline_keeps_all_lines_as_body() -> None:
    raw = "The council met on Monday.\nIt voted five to four.\nThe mayor abstained."
    doc = read_text(raw)
    assert doc.text == raw and doc.get("headline") == [] and doc.meta.title is None


def test_kicker_before_headline_stays_in_text_when_nothing_is_cut() -> None:
    raw = "Exclusive!\nMinister Quits Over Leaked Memo\n\nThe minister resigned on Friday.\nShe denied leaking it.\n"
    doc = read_text(raw)
    assert doc.text == raw
    assert doc.get("headline")[0].text == "Minister Quits Over Leaked Memo"


@pytest.mark.parametrize("line", [
    "He refused.", "Shares fell 3%.", "Also on Tuesday, the council met again.",
    "Related to this, the court ruled on Friday.", "Subscribers complained about the price rise.",
    "The band sued for copyright infringement over the song.", "2019 was a difficult year for the port.",
    "شارك الرئيس في القمة يوم الاثنين.",
    "Seit Jahren diskutiert: die elektronische Patientenakte (ePA)",
])
def test_body_sentences_that_resemble_boilerplate_are_kept(line: str) -> None:
    raw = f"Port Strike Ends After Nine Days\n\nWorkers returned on Monday.\n{line}\nCranes restarted at noon."
    doc = read_text(raw)
    assert line in doc.text.split("\n")
    assert doc.removed == []


def test_crlf_line_endings_are_normalised_with_exact_offsets() -> None:
    raw = "Bridge Reopens\r\n\r\nThe bridge reopened on Sunday.\r\nTraffic was light.\r\nAdvertisement\r\n"
    doc = read_text(raw)
    assert doc.text == "Bridge Reopens\n\nThe bridge reopened on Sunday.\nTraffic was light."
    assert_offsets_exact(raw, doc)


def test_only_boilerplate_gives_an_empty_body() -> None:
    doc = read_text("0 $\n2,500 $\nAdvertisement\n")
    assert doc.text == "" and len(doc.removed) == 3


def test_fundraising_appeals_are_boilerplate_but_reported_donations_are_body() -> None:
    from newsforensics.ingest.text import read_text

    text = (
        "Aid convoy reaches the border\n\n"
        "Residents were urged to donate to the blood bank at the central hospital.\n"
        "Support independent reporting from the region: donate to our newsroom today!\n"
    )
    doc = read_text(text)
    assert "urged to donate" in doc.text
    assert "Support independent reporting" not in doc.text
    assert any(r.reason.startswith("call to action") for r in doc.removed)
