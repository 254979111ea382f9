"""The attribute ruler's numpy matcher returns exactly what spaCy's Matcher-based one does."""

from __future__ import annotations

import types

import pytest

from newsforensics.models import attribute_rules
from newsforensics.models.spacy_model import load_spacy

NEWS = (
    "MOSCOW, March 29 (Reuters) - The Kremlin said on Friday it didn't know anything about the "
    "report, but a spokesman told reporters that they would look into it themselves. \"We're "
    "not going to comment,\" he said. Nothing was decided, and nobody in the E.U. or U.S. "
    "replied before 5 p.m. Y'all can't say nuthin' about it 'cause it's theirs, she wrote.\n\n"
    "In 2019, 1,200 people - many of them from Idlib - fled; that is what I'd call a crisis."
)


def spacy_match(ruler):  # type: ignore[no-untyped-def]
    """The ruler's own ``match`` (spaCy's general Matcher), whatever is installed."""
    return types.MethodType(type(ruler).match, ruler)


def test_the_english_ruler_is_compiled_and_matches_like_spacy() -> None:
    nlp = load_spacy()
    ruler = nlp.get_pipe("attribute_ruler")
    assert "match" in vars(ruler)  # load_spacy installed the fast one
    fast = attribute_rules.fast_match(ruler)
    assert fast is not None
    for doc in nlp.pipe([NEWS, NEWS.upper(), "", "   \n ", "I"]):
        assert fast(doc) == spacy_match(ruler)(doc)
    doc = nlp(NEWS)
    assert len(fast(doc)) >= len(doc)  # every token gets its tag's part of speech, and more


def test_every_supported_kind_of_test_matches_like_spacy() -> None:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": {"IN": ["the", "a"]}}, {"IS_ALPHA": True}]], {"TAG": "DET+"}, index=1)
    ruler.add([[{"TEXT": {"REGEX": "^[A-Z][a-z]+$"}}]], {"TAG": "CAP"})
    ruler.add([[{"ORTH": "not"}], [{"LOWER": {"REGEX": "^n'?t$"}}]], {"TAG": "NEG"})
    ruler.add([[{"IS_PUNCT": True}], [{"IS_SPACE": True}], [{"LOWER": {"NOT_IN": ["x", "y"]},
                                                              "IS_DIGIT": True}]], {"TAG": "SYM"})
    ruler.add([[{"LOWER": "the"}, {"IS_ALPHA": True}, {"IS_ALPHA": True}], [{"LOWER": "the"}]],
              {"TAG": "THE"}, index=-1)
    fast = attribute_rules.fast_match(ruler)
    assert fast is not None
    for text in (NEWS, "the the the", "Not now, didn't 12 x", ""):
        doc = nlp.make_doc(text)
        assert fast(doc) == spacy_match(ruler)(doc)


def test_a_ruler_that_needs_the_general_matcher_is_left_alone() -> None:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "very", "OP": "+"}, {"IS_ALPHA": True}]], {"TAG": "INTENS"})
    assert attribute_rules.fast_match(ruler) is None
    assert not attribute_rules.install(nlp)
    assert "match" not in vars(ruler)
