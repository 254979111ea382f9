"""Paragraph and sentence segmentation."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsforensics.document import Document, Metadata
from newsforensics.pipeline import Pipeline
from newsforensics.stages.segment import _segmenter, paragraph_bounds, pysbd_sentences

SEGMENT = Pipeline(["segment"])


def _segment(text: str, language: str = "en") -> Document:
    return SEGMENT(Document(text, meta=Metadata(language=language)))


def test_lines_are_paragraphs_and_abbreviations_do_not_split_sentences() -> None:
    text = (
        "Ceasefire talks stall\n\n"
        "Lt. Gen. Anna Morrow arrived in Geneva on Monday. She met the envoy.\n"
        "Talks resume on Friday."
    )
    doc = _segment(text)
    assert [p.text for p in doc.get("paragraphs")] == [
        "Ceasefire talks stall",
        "Lt. Gen. Anna Morrow arrived in Geneva on Monday. She met the envoy.",
        "Talks resume on Friday.",
    ]
    assert [s.text for s in doc.get("sentences")] == [
        "Ceasefire talks stall",
        "Lt. Gen. Anna Morrow arrived in Geneva on Monday.",
        "She met the envoy.",
        "Talks resume on Friday.",
    ]
    assert doc.get("sentences")[2].attrs["paragraph"] == doc.get("paragraphs")[1].id


def test_hard_wrapped_blocks_are_one_paragraph() -> None:
    text = "The council met in closed session\nand agreed to extend the mandate\nby six months.\n\nNext item."
    assert [text[s:e] for s, e in paragraph_bounds(text)] == [
        "The council met in closed session\nand agreed to extend the mandate\nby six months.",
        "Next item.",
    ]


def test_other_languages_use_their_rules() -> None:
    doc = _segment("Le ministre a démenti. Selon lui, l'information est fausse.", "fr")
    assert [s.text for s in doc.get("sentences")] == [
        "Le ministre a démenti.",
        "Selon lui, l'information est fausse.",
    ]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_segments_hold_the_span_invariant_on_any_text(text: str) -> None:
    doc = _segment(text)
    for layer in ("paragraphs", "sentences"):
        for span in doc.get(layer):
            assert text[span.start:span.end] == span.text and span.text.strip() == span.text
    paragraphs = doc.get("paragraphs")
    for sentence in doc.get("sentences"):
        assert any(sentence.within(p.start, p.end) for p in paragraphs)


def test_long_paragraphs_are_segmented_in_linear_time() -> None:
    import time

    sentence = "The minister said the talks had failed. "
    started = time.process_time()
    doc = _segment(sentence * 5000 + "1 " * 100_000)  # 200 kB prose + 200 kB without any break
    assert time.process_time() - started < 20
    sentences = doc.get("sentences")
    assert sum(s.text == sentence.strip() for s in sentences) >= 4990
    assert all(doc.text[s.start:s.end] == s.text for s in sentences)


# Sentences, repeats, abbreviations, quotes and odd whitespace: what makes locating them hard.
_PIECES = st.sampled_from(
    ["He said so.", "He said so. ", "Dr. No", " ", "\n", "\u00a0", "!", "?", "\"Yes.\"", "a", "A.", "..."]
)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.lists(_PIECES, max_size=25).map("".join), st.text(max_size=200)),
       st.sampled_from(["en", "fr", "de"]))
def test_sentences_are_located_as_pysbd_locates_them(text: str, language: str) -> None:
    segmenter = _segmenter(language)
    assert pysbd_sentences(segmenter, text) == segmenter.segment(text)
