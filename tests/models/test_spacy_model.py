"""The shared spaCy parse, including texts too long to parse at once."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsforensics.document import Document
from newsforensics.models import spacy_model
from newsforensics.models.spacy_model import parse, pieces


@given(st.text(alphabet="ab \n.", max_size=400), st.integers(4, 50))
def test_pieces_concatenate_to_the_text_and_respect_the_limit(text: str, limit: int) -> None:
    cut = pieces(text, limit)
    assert "".join(cut) == text
    assert all(len(p) <= limit for p in cut)


def test_a_long_text_is_parsed_in_pieces_with_exact_offsets(monkeypatch) -> None:
    text = "Officials in Brussels said on Monday that the talks would resume in Geneva.\n" * 12
    whole = parse(Document(text))
    monkeypatch.setattr(spacy_model, "MAX_PIECE_CHARS", 200)
    assert len(pieces(text)) > 4
    in_pieces = parse(Document(text))
    assert in_pieces.text == text
    entities = [(e.start_char, e.end_char, e.label_) for e in in_pieces.ents]
    assert entities == [(e.start_char, e.end_char, e.label_) for e in whole.ents]
    assert len(entities) >= 12
    assert all(text[e.start_char:e.end_char] == e.text for e in in_pieces.ents)
