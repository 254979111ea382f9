"""HTML, Markdown and terminal reports of a hand-built dossier with every known layer."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from fixtures.synthetic import BODY, HEADLINE, build_document
from newsforensics import report
from newsforensics.report import digest
from newsforensics.serialize import to_dict


@pytest.fixture(scope="module")
def dossier() -> dict:
    return to_dict(build_document())


class _Page(HTMLParser):
    """Tags, attributes, and the character data inside ``div.article``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.article: list[str] = []
        self._depth = 0  # nesting depth inside the article div

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if self._depth:
            self._depth += tag != "a" or 0
        elif tag == "div" and attributes.get("class") == "article":
            self._depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag != "a":
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.article.append(data)


def test_html_report_is_self_contained_and_escapes_article_content(dossier: dict) -> None:
    html = report.render(dossier, "html")
    page = _Page()
    page.feed(html)
    names = {name for name, _ in page.tags}
    assert "script" not in names and "img" not in names and "iframe" not in names
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert not [a for _, attrs in page.tags for a in attrs if a.startswith("on")]
    assert not re.search(r'(src|href)="(https?:)?//', html), "no external assets"
    assert "link" not in names
    assert "".join(page.article) == dossier["text"]


def test_html_report_sections_legend_and_toggles(dossier: dict) -> None:
    html = report.render(dossier, "html")
    for layer in ("headline", "voice", "quotes", "claims", "entities", "places", "dates", "techniques"):
        assert f'id="t-{layer}"' in html and f'for="t-{layer}"' in html
        assert f"#t-{layer}:checked ~ main .l-{layer}" in html
    for section in ("summary", "quotes", "claims", "places", "timeline", "entities", "removed",
                    "provenance", "layer-techniques"):
        assert f'<section id="{section}">' in html
    assert "51.0500, 3.7167" in html and "2024-05-04 .. 2024-05-06" in html
    assert "donation widget: number/currency only" in html
    assert "a date &lt;i&gt;may&lt;/i&gt; be ambiguous" in html
    assert "sentences" not in re.findall(r'id="t-([a-z-]+)"', html)


def test_unknown_layers_are_highlighted_and_listed_generically(dossier: dict) -> None:
    doc = build_document()
    doc.add("frames", [doc.span(0, 5, "economic", stage="frames", score=0.5, basis="lexicon")])
    data = to_dict(doc)
    html = report.render(data, "html")
    assert 'id="t-frames"' in html and "l-frames" in html and '<section id="layer-frames">' in html
    assert "basis: lexicon" in html
    md = report.render(data, "markdown")
    assert "## Frames" in md and "basis: lexicon" in md


def test_markdown_report_has_every_section_and_escapes_markup(dossier: dict) -> None:
    md = report.render(dossier, "markdown")
    for heading in ("## Summary", "## Warnings", "## Quotes by speaker", "## Claims", "## Places",
                    "## Timeline", "## Entities", "## Removed from the text", "## Provenance"):
        assert heading in md
    assert md.startswith("# Mayor \\<script\\>")
    assert not re.search(r"(?<!\\)<", md), "every < from the article is backslash-escaped"
    assert "### Anna de Vries — mayor" in md
    assert "| Gent | Ghent | Belgium | 51.0500, 3.7167 | PPLA2 | 2797656 | 1 |" in md
    assert "the outlet (own voice)" in md
    assert "posted \\| shared" in md  # a pipe inside a table cell cannot break the table


def test_terminal_summary_fits_80_columns_and_keeps_brackets_literal(dossier: dict) -> None:
    text = report.render(dossier, "summary")
    assert max(len(line) for line in text.splitlines()) <= 80
    for expected in ("Ghent Courier", "2024-05-01 (input)", "Quotes by speaker", "Anna de Vries",
                     "Claims in the outlet's own voice", "[bold]was[/bold]", "Gent", "Belgium",
                     "Timeline", "2024-04-29", "date-uncertain", "Removed from the text"):
        assert expected in text, expected


def test_reports_accept_a_document_or_its_dict(dossier: dict) -> None:
    doc = build_document()
    assert report.render(doc, "markdown") == report.render(dossier, "markdown")
    with pytest.raises(ValueError, match="unknown report format"):
        report.render(dossier, "pdf")


def test_reports_of_an_empty_dossier_do_not_fail() -> None:
    from newsforensics.document import Document

    data = to_dict(Document(""))
    for fmt in report.FORMATS:
        assert report.render(data, fmt)


def test_digest_orders_known_layers_first_and_groups_quotes(dossier: dict) -> None:
    assert digest.ordered_layers(dossier)[:3] == ["headline", "voice", "quotes"]
    assert digest.quotes_by_speaker(dossier)[0][0] == "Anna de Vries"
    assert [row["date"] for row in digest.timeline(dossier)] == ["2024-04-29", "2024-05-04 .. 2024-05-06"]
    assert digest.entities(dossier)[0]["mentions"] == 2  # the two Ghent mentions share a cluster
    assert HEADLINE in dossier["text"] and BODY in dossier["text"]


def test_terminal_summary_lists_techniques_strongest_first() -> None:
    doc = build_document()
    start = doc.text.index(HEADLINE.split()[0])
    end = start + len(HEADLINE.split()[0])
    dossier = to_dict(doc)
    dossier["techniques"] = [
        {"id": "t1", "start": start, "end": end, "text": doc.text[start:end], "label": "Doubt",
         "score": 0.21, "stage": "techniques"},
        {"id": "t2", "start": start, "end": end, "text": doc.text[start:end],
         "label": "Loaded_Language", "score": 0.64, "stage": "techniques"},
    ]
    dossier["technique_stats"] = {"strongest": ["t2", "t1"]}
    lines = report.render(dossier, "summary").splitlines()
    first = lines.index(next(ln for ln in lines if ln.startswith("Persuasion techniques")))
    assert lines[first + 1].strip().startswith("t2 Loaded Language 0.64")
    assert lines[first + 2].strip().startswith("t1 Doubt 0.21")


def test_every_report_shows_the_sections_the_analyses_register(dossier: dict) -> None:
    """Source, claim status, narratives and fact-checks come from data/report_sections.toml: the
    terminal, Markdown and HTML reports show the same ones, in the same order."""
    from newsforensics.report.sections import text_sections

    data = {**dossier, "narrative_matches": {
        "catalogue": "built-in", "status": "matched", "denied_only": [],
        "narratives": [{"id": "n1", "title": "Staged <b>attack</b>", "score": 0.91, "carried": 1,
                        "attributed": 0, "denied": 0, "evidence": [
                            {"stance": "carried", "score": 0.91, "sentence": "They stage it.",
                             "example": "A staged attack."}]}]},
        "extra": {**(dossier.get("extra") or {}),
                  "factchecks": {"searched": False, "reason": "no fact-check store configured"}}}
    titles = [title for title, _ in text_sections(data)]
    assert titles[-2:] == ["Known narratives", "Earlier fact-checks"]
    markdown = report.render(data, "markdown")
    html = report.render(data, "html")
    summary = report.render(data, "summary")
    for title in titles:
        assert f"## {title}" in markdown and f"<h2>{title}</h2>" in html and title in summary
    assert "Staged \\<b\\>attack\\</b\\> \\[n1\\]" in markdown
    assert "Staged &lt;b&gt;attack&lt;/b&gt; [n1]" in html and "<b>attack" not in html
    assert markdown.index("## Known narratives") < markdown.index("## Earlier fact-checks")
