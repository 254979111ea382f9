"""The HTML highlighter: overlapping spans, escaping, and text that survives exactly."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from newsforensics.report.highlight import Mark, css_token, highlight, pieces


class _Visible(HTMLParser):
    """Collects character data and every start tag of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_data(self, data: str) -> None:
        self.data.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parse(fragment: str) -> _Visible:
    parser = _Visible()
    parser.feed(fragment)
    parser.close()
    return parser


def _describe(mark: Mark) -> str:
    return f"{mark.layer} {mark.span.get('id')}: {mark.span.get('label')}"


def test_overlapping_spans_of_different_layers_share_pieces() -> None:
    text = "Kupchishin said Idlib was calm."
    marks = [
        Mark("voice", 0, len(text), {"id": "voi1", "label": "attributed"}),
        Mark("entities", 0, 10, {"id": "e1", "label": "PERSON"}),
        Mark("places", 16, 21, {"id": "pl1", "label": "place"}),
        Mark("quotes", 11, 31, {"id": "q1", "label": "indirect"}),
    ]
    cut = pieces(len(text), marks)
    assert [(s, e) for s, e, _ in cut] == [(0, 10), (10, 11), (11, 16), (16, 21), (21, 31)]
    idlib = next(covering for s, e, covering in cut if (s, e) == (16, 21))
    assert {m.layer for m in idlib} == {"voice", "places", "quotes"}
    html = highlight(text, marks, _describe)
    tag = next(attrs for name, attrs in parse(html).tags
               if name == "span" and "l-places" in (attrs.get("class") or ""))
    assert {"l-voice", "l-voice--attributed", "l-quotes", "l-places"} <= set(tag["class"].split())
    assert "places pl1: place" in tag["title"] and "quotes q1: indirect" in tag["title"]
    assert '<a id="places-pl1"></a>' in html


def test_hostile_text_and_titles_are_escaped() -> None:
    text = '<script>alert(1)</script> <img src=x onerror=alert(2)> "quoted" & done'
    marks = [Mark("entities", 0, 8, {"id": "e1", "label": 'x" onmouseover="alert(3)'}),
             Mark("novel", 9, 20, {"id": "<b>", "label": "<i>"})]
    html = highlight(text, marks, lambda m: f'{m.span["label"]} <script>alert(4)</script>')
    parsed = parse(html)
    assert {name for name, _ in parsed.tags} <= {"span", "a"}
    assert all(not key.startswith("on") for _, attrs in parsed.tags for key in attrs)
    assert "".join(parsed.data) == text


def test_class_tokens_are_safe() -> None:
    assert css_token("own-voice") == "own-voice"
    assert css_token('Loaded_Language" onclick="x') == "loaded-language-onclick-x"
    assert css_token("") == "x"


def test_invalid_and_empty_marks_are_ignored() -> None:
    text = "abc"
    marks = [Mark("a", 2, 1, {}), Mark("a", 1, 1, {}), Mark("a", 0, 9, {}), Mark("b", -1, 2, {})]
    assert highlight(text, marks, _describe) == "abc"


@st.composite
def text_and_marks(draw: st.DrawFn) -> tuple[str, list[Mark]]:
    text = draw(st.text(max_size=120))
    layers = ["voice", "quotes", "entities", "places", "dates", "claims", "techniques", "odd layer"]
    marks = []
    for i in range(draw(st.integers(0, 12))):
        a, b = draw(st.integers(0, len(text))), draw(st.integers(0, len(text)))
        label = draw(st.text(max_size=8))
        marks.append(Mark(draw(st.sampled_from(layers)), min(a, b), max(a, b),
                          {"id": f"x{i}", "label": label}))
    return text, marks


@settings(max_examples=200, deadline=None)
@given(text_and_marks())
def test_visible_text_of_the_html_is_the_document_text(case: tuple[str, list[Mark]]) -> None:
    text, marks = case
    html = highlight(text, marks, _describe)
    parsed = parse(html)
    assert "".join(parsed.data) == text
    assert {name for name, _ in parsed.tags} <= {"span", "a"}
    # each covered character sits in exactly one highlighted piece carrying all its layers
    cut = pieces(len(text), marks)
    assert [s for s, _, _ in cut] == sorted(s for s, _, _ in cut)
    assert sum(e - s for s, e, _ in cut) == len(text)
    for start, end, covering in cut:
        for mark in marks:
            inside = mark.start <= start and end <= mark.end and mark.start < mark.end
            assert (mark in covering) == inside
