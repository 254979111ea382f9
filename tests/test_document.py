"""The document model: spans, layers, ids, and clean→raw offset mapping."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsforensics.document import Document, OffsetMap, Span


def test_span_takes_its_text_from_the_offsets() -> None:
    doc = Document("Kyiv was shelled overnight.")
    span = doc.span(0, 4, "GPE", stage="test", score=0.9, lat=50.45)
    assert span.text == "Kyiv"
    assert span.attrs == {"lat": 50.45}
    assert (span.stage, span.score) == ("test", 0.9)


def test_span_rejects_offsets_outside_the_text() -> None:
    doc = Document("short")
    with pytest.raises(ValueError):
        doc.span(2, 10, "x", stage="test")
    with pytest.raises(ValueError):
        Span(5, 2, "x", "", "test")


def test_layers_are_sorted_and_get_stable_prefixed_ids() -> None:
    doc = Document("Alpha beta gamma delta")
    doc.add("quotes", [doc.span(11, 16, "direct", stage="t"), doc.span(0, 5, "direct", stage="t")])
    quotes = doc.get("quotes")
    assert [q.text for q in quotes] == ["Alpha", "gamma"]
    assert [q.id for q in quotes] == ["q1", "q2"]
    assert doc.get("missing") == []


def test_spans_in_and_covering() -> None:
    doc = Document("One two. Three four.")
    doc.add("sentences", [doc.span(0, 8, "sentence", stage="t"), doc.span(9, 20, "sentence", stage="t")])
    doc.add("entities", [doc.span(9, 14, "CARDINAL", stage="t")])
    assert doc.covering("sentences", 9, 14).text == "Three four."
    assert [e.text for e in doc.spans_in("entities", 9, 20)] == ["Three"]
    assert list(doc.spans_in("entities", 0, 8)) == []


def test_warnings_are_not_repeated() -> None:
    doc = Document("x")
    doc.warn("code", "message", "stage")
    doc.warn("code", "message", "stage")
    assert len(doc.warnings) == 1


def test_identity_map_when_text_is_the_raw_input() -> None:
    doc = Document("Plain article text.")
    span = doc.span(6, 13, "x", stage="t")
    assert doc.raw_offsets(span) == (6, 13)


def test_offset_map_maps_segments_and_refuses_gaps() -> None:
    raw = "<p>Hello</p><p>world</p>"
    text = "Hello\nworld"
    doc = Document(text, raw=raw, offset_map=OffsetMap([(0, 3, 5), (6, 15, 5)]))
    world = doc.span(6, 11, "w", stage="t")
    assert raw[slice(*doc.raw_offsets(world))] == "world"
    across = doc.span(0, 11, "all", stage="t")
    assert doc.raw_offsets(across) == (3, 20)
    newline = doc.span(5, 6, "nl", stage="t")
    assert doc.raw_offsets(newline) is None


@given(st.text(min_size=1, max_size=200), st.data())
def test_identity_map_round_trips_every_span(text: str, data: st.DataObject) -> None:
    doc = Document(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    span = doc.span(start, end, "x", stage="t")
    assert span.text == text[start:end]
    raw = doc.raw_offsets(span)
    assert raw is not None and doc.raw[raw[0]:raw[1]] == span.text
