"""The bare-name rule on hand-built tokens (what spaCy gives for such fragments)."""

from __future__ import annotations

from typing import NamedTuple

from newsforensics.techniques.names import is_bare_name


class Tok(NamedTuple):
    lower_: str
    pos_: str
    ent_type_: str


def tokens(*parts: str) -> list[Tok]:
    """``"Assange/PROPN/PERSON"`` → a token."""
    return [Tok(text.lower(), pos, ent) for text, pos, ent in (p.split("/") for p in parts)]


def test_a_name_with_nationality_title_and_a_verb_is_a_bare_name() -> None:
    assert is_bare_name("Julian Assange", tokens("Julian/PROPN/PERSON", "Assange/PROPN/PERSON"))
    assert is_bare_name("Australian-born Assange faces", tokens(
        "Australian/PROPN/NORP", "-/PUNCT/", "born/VERB/", "Assange/PROPN/ORG", "faces/VERB/"))
    assert is_bare_name("trooper Werner Foerster", tokens(
        "trooper/NOUN/", "Werner/PROPN/PERSON", "Foerster/PROPN/PERSON"))


def test_a_label_word_or_scare_quotes_make_it_name_calling() -> None:
    assert not is_bare_name("the corrupt Hillary Clinton", tokens(
        "the/DET/", "corrupt/ADJ/", "Hillary/PROPN/PERSON", "Clinton/PROPN/PERSON"))
    assert not is_bare_name('the "Jewish Zionist Agent"', tokens(
        "the/DET/", '"/PUNCT/', "Jewish/ADJ/NORP", "Zionist/PROPN/ORG", "Agent/PROPN/ORG",
        '"/PUNCT/'))


def test_a_group_word_alone_is_not_a_name() -> None:
    assert not is_bare_name("the Reds", tokens("the/DET/", "Reds/PROPN/NORP"))
    assert not is_bare_name("", [])
