"""The reporting rules: which (fragment, technique) pairs the stage reports, and the reason it
records for each one it keeps back."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pytest

from newsforensics.techniques.paragraphs import ParagraphScores
from newsforensics.techniques.reporting import (
    BARE_NAME,
    BELOW_OPERATING_POINT,
    NOT_PUBLIC_AFFAIRS,
    PARAGRAPH_DISAGREES,
    NOT_REPEATED,
    UNRELIABLE_TECHNIQUE,
    ReportingRules,
    normalise,
    public_affairs_share,
    recurs,
)

POLITICS = ("The government defied the opposition in parliament. The minister said the "
            "election law would pass, and the traitors in the party would pay.")
GARDEN = ("Crazy swirls of clouds rolled over the garden. Water the tomatoes early, mulch the "
          "beds and the heat will not hurt them.")
RULES = ReportingRules(report_threshold=0.5, public_affairs_min=3.0,
                       unreliable=frozenset({"Slogans"}))


class Tok(NamedTuple):
    lower_: str
    pos_: str
    ent_type_: str


def no_parse() -> None:
    raise AssertionError("only Name_Calling needs the parse")


def test_public_affairs_share_separates_politics_from_a_garden_page() -> None:
    assert public_affairs_share(POLITICS) > 15 > public_affairs_share(GARDEN) == 0.0
    assert public_affairs_share("") == 0.0 and public_affairs_share("1984 !!") == 0.0
    assert RULES.article_reason(POLITICS) is None
    assert RULES.article_reason(GARDEN) == NOT_PUBLIC_AFFAIRS
    assert ReportingRules().article_reason(GARDEN) is None  # an older card: no gate


def test_recurs_ignores_case_spacing_and_edge_punctuation() -> None:
    text = normalise("Stop the quay! Some said:\n stop  THE quay. Build it.")
    assert recurs(text, "Stop the quay!")
    assert recurs(text, " STOP\tthe quay")
    assert not recurs(text, "Build it.")
    assert not recurs(text, "!")  # only punctuation
    assert not recurs(normalise("no no"), "no no")  # once, not overlapping itself


def test_repetition_is_reported_only_when_the_words_recur_normalising_the_text_once() -> None:
    text = "The traitors lied. Believe me, the traitors lied. And the press lied."
    judge = RULES.for_text(text)
    assert "normalised" not in judge.__dict__  # nothing read before a Repetition needs it
    assert judge.reason(0, 17, 0.9, "Loaded_Language", no_parse) is None
    assert "normalised" not in judge.__dict__
    assert judge.reason(0, 17, 0.9, "Repetition", no_parse) is None
    normalised = judge.__dict__["normalised"]
    assert judge.reason(text.index("the press"), len(text) - 6, 0.9, "Repetition",
                        no_parse) == NOT_REPEATED
    assert judge.__dict__["normalised"] is normalised


@pytest.mark.parametrize(("probability", "technique", "reason"), [
    (0.4, "Loaded_Language", BELOW_OPERATING_POINT),
    (0.9, "Slogans", UNRELIABLE_TECHNIQUE),
    (0.9, "Loaded_Language", None),
])
def test_threshold_and_unreliable_techniques(probability: float, technique: str,
                                             reason: str | None) -> None:
    assert RULES.for_text(POLITICS).reason(4, 14, probability, technique, no_parse) == reason


def test_name_calling_on_a_bare_name_is_kept_back() -> None:
    name = [Tok("julian", "PROPN", "PERSON"), Tok("assange", "PROPN", "PERSON")]
    label = [Tok("corrupt", "ADJ", ""), Tok("assange", "PROPN", "PERSON")]
    judge = ReportingRules(report_threshold=0.5).for_text("Julian Assange and corrupt Assange")
    assert judge.reason(0, 14, 0.9, "Name_Calling,Labeling", lambda: name) == BARE_NAME
    assert judge.reason(19, 34, 0.9, "Name_Calling,Labeling", lambda: label) is None
    assert judge.reason(0, 14, 0.9, "Name_Calling,Labeling", lambda: None) is None


def test_rules_read_from_a_card_and_default_to_reporting_everything() -> None:
    rules = ReportingRules.from_calibration({"report_threshold": 0.47, "public_affairs_min": 1.2,
                                             "unreliable_techniques": ["Slogans"]})
    assert rules == ReportingRules(0.47, 1.2, frozenset({"Slogans"}))
    assert ReportingRules.from_calibration({}) == ReportingRules()


def test_a_fragment_needs_the_paragraph_models_agreement_when_it_is_asked() -> None:
    rules = ReportingRules(report_threshold=0.5, paragraph_agreement=0.2)
    weak, strong = rules.for_text(POLITICS, lambda _: 0.1), rules.for_text(POLITICS, lambda _: 0.3)
    assert weak.reason(4, 14, 0.9, "Loaded_Language", no_parse) == PARAGRAPH_DISAGREES
    assert strong.reason(4, 14, 0.9, "Loaded_Language", no_parse) is None
    assert rules.for_text(POLITICS).reason(4, 14, 0.9, "Loaded_Language", no_parse) is None
    assert RULES.for_text(POLITICS, lambda _: 0.0).reason(4, 14, 0.9, "Loaded_Language",
                                                           no_parse) is None  # rule off


def test_paragraph_support_reads_each_paragraph_once() -> None:
    text = "The traitors lied.\n\nIt rained."
    read: list[str] = []

    class Model:
        def probabilities(self, paragraphs: list[str]) -> np.ndarray:
            read.extend(paragraphs)
            return np.array([[0.1, 0.7 if "traitors" in p else 0.05] for p in paragraphs])

    scores = ParagraphScores(text, [(0, 18), (20, 30)], Model())
    support = scores.support
    assert support(4) == support(0) == 0.7 and support(25) == 0.1
    assert support(19) == 0.0 and support(-1) == 0.0  # between and before paragraphs
    assert read == ["The traitors lied.", "It rained."]
    assert [row.max() for row in scores.probabilities()] == [0.7, 0.1]  # already read: reused
    assert read == ["The traitors lied.", "It rained."]
