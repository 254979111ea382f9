"""HTML extraction: body, metadata, removed page blocks, offsets, hostile and broken pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsforensics.document import Document
from newsforensics.ingest.html import read_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


def read(name: str) -> tuple[str, Document]:
    raw = (FIXTURES / name).read_text(encoding="utf-8")
    return raw, read_html(raw)


@pytest.fixture(scope="module")
def news_page() -> tuple[str, Document]:
    return read("article_nav.html")


def test_body_is_the_article_paragraphs_only(news_page: tuple[str, Document]) -> None:
    _, doc = news_page
    lines = doc.text.split("\n")
    assert lines[0] == "Rail Strike Halts Northern Lines" and lines[1] == ""
    body = lines[2:]
    assert body[0].startswith("Train services across the northern valley stopped on Tuesday")
    assert body[-1].startswith("Bus companies added extra coaches")
    assert len(body) == 4
    for junk in ("Read more", "Share on", "Council votes", "disgrace", "Copyright", "newsletter", "Home"):
        assert junk not in doc.text


def test_metadata_from_meta_tags_canonical_link_and_html_lang(news_page: tuple[str, Document]) -> None:
    _, doc = news_page
    meta = doc.meta
    assert meta.title == "Rail Strike Halts Northern Lines"
    assert meta.site_name == meta.outlet == "The Valley Courier"
    assert meta.author == "Mira Castell"
    assert meta.canonical_url == "https://www.valleycourier.example/news/rail-strike-halts-northern-lines"
    assert meta.url == meta.canonical_url
    assert meta.published == "2024-02-13" and meta.published_source == "html-meta"
    assert doc.sections["html_lang"] == "en-GB"
    assert meta.input_kind == "html"
    assert doc.get("headline")[0].text == meta.title


def test_clean_text_maps_back_to_the_same_characters_in_raw_html(news_page: tuple[str, Document]) -> None:
    raw, doc = news_page
    mapped = sum(length for _, _, length in doc.offset_map.segments)
    assert mapped > 0.9 * len(doc.text.replace("\n", ""))  # paragraphs wrapped in the source too
    for clean, raw_start, length in doc.offset_map.segments:
        assert doc.text[clean:clean + length] == raw[raw_start:raw_start + length]
    # the wrapped first paragraph: its second source line still maps
    offset = doc.text.index("48-hour strike")
    assert raw[doc.offset_map.to_raw(offset):].startswith("48-hour strike")


def test_removed_page_blocks_are_listed_with_reasons(news_page: tuple[str, Document]) -> None:
    raw, doc = news_page
    by_text = {r.text: r for r in doc.removed}
    assert by_text["Read more: Fare rises approved for the spring timetable"].reason == "related-content link"
    assert by_text["Council votes to extend the tram line to the hospital"].reason == "related links"
    assert by_text["Good on the drivers, the company made record profits last year."].reason == "comments"
    assert by_text["Weather and travel updates for the whole valley"].reason == "navigation"
    assert by_text["An empty platform at Riverside station on Tuesday morning."].kind == "caption"
    assert by_text["Rail Strike Halts Northern Lines"].kind == "duplicate-title"
    assert len(by_text) == len(doc.removed)  # nothing listed twice
    for r in doc.removed:
        assert raw[r.raw_start:r.raw_end] == r.text
        assert "not text" not in r.text  # script content is never a page block


def test_broken_html_degrades_to_its_paragraphs(tmp_path: Path) -> None:
    _, doc = read("broken.html")
    assert doc.meta.title == "Harbour fire contained"
    assert "Firefighters contained a blaze" in doc.text
    assert "The cause of the fire is under investigation" in doc.text


def test_html_without_body_warns_and_keeps_metadata() -> None:
    _, doc = read("no_body.html")
    assert doc.meta.title == "Only a head"
    codes = {w.code for w in doc.warnings}
    assert {"no-body", "no-html-body"} <= codes


def test_scripts_and_styles_never_reach_the_text() -> None:
    _, doc = read("hostile_script.html")
    assert doc.meta.title == "Museum reopens after renovation"
    assert "Injected paragraph" not in doc.text and "hidden inside a script" not in doc.text
    assert "color: red" not in doc.text
    assert len(doc.text.split("\n")[2:]) == 3


@pytest.mark.parametrize("html", [
    "<", "<html>", "<html><body></body></html>", "<p>", "<!-- only a comment -->",
    "<html><body>" + "<div>" * 3000 + "deep" + "</div>" * 3000 + "</body></html>",
    "<html><body><p>\x00\x01 odd bytes &#0; &bogus; </p></body></html>",
])
def test_degenerate_html_never_raises(html: str) -> None:
    doc = read_html(html)
    assert isinstance(doc.text, str)
    for clean, raw_start, length in doc.offset_map.segments:
        assert doc.text[clean:clean + length] == html[raw_start:raw_start + length]


def test_trailing_link_list_under_a_related_heading_is_cut() -> None:
    paragraphs = "".join(
        f"<p>Paragraph {i} of the report says the audit found {i} unpaid invoices at the depot.</p>"
        for i in range(1, 6)
    )
    html = (
        "<html><head><title>Depot audit</title></head><body><article><h1>Depot audit</h1>"
        f"{paragraphs}<p>Don't miss</p><p>Mayor opens new library wing</p>"
        "<p>- Ten photos of the flooded market</p></article></body></html>"
    )
    doc = read_html(html)
    assert "Mayor opens" not in doc.text and "flooded market" not in doc.text
    assert "Paragraph 5 of the report" in doc.text
    reasons = {r.text: r.reason for r in doc.removed}
    assert reasons["Mayor opens new library wing"].startswith("related-content link")
