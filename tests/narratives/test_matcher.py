"""Matching: the same narrative in other words and other languages, not mere topic words."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("sentence", "lang", "narrative"), [
    ("Secret American military labs on Ukrainian territory are breeding germs to use as weapons.", "en",
     "ukraine-biolabs"),
    ("Rebels staged the poison gas footage with actors pretending to choke.", "en",
     "syria-staged-chemical-attacks"),
    ("Ukraine is nothing but a colony run by the White House and Brussels.", "en", "west-controls-ukraine"),
    ("Selon la chaîne, le Maïdan était un coup d'État organisé par Washington.", "fr", "maidan-coup"),
    ("Боевики готовят провокацию с применением химического оружия, чтобы обвинить армию.", "ru",
     "syria-staged-chemical-attacks"),
    ("Die Ukraine ist ein gescheiterter Staat und steht vor dem Bankrott.", "de", "ukraine-failed-state"),
    ("Según la cadena, lo de Kiev en 2014 fue un golpe de Estado preparado por Washington.", "es", "maidan-coup"),
    ("Secondo il canale, in Ucraina i laboratori americani preparano armi biologiche.", "it", "ukraine-biolabs"),
    ("Американці нібито тримають в Україні секретні лабораторії, де вирощують бойові віруси.", "uk", "ukraine-biolabs"),
    ("المسلحون في إدلب يحضرون لفبركة هجوم كيميائي لاتهام الجيش السوري.", "ar", "syria-staged-chemical-attacks"),
])
def test_paraphrases_and_other_languages_match_the_right_narrative(matcher, sentence: str, lang: str,
                                                                   narrative: str) -> None:
    (matches,) = matcher.match([sentence], [lang])
    assert matches, f"no narrative matched {sentence!r}"
    best = matches[0]
    assert best.narrative.id == narrative
    assert 0.5 <= best.probability <= 1.0
    assert best.example.text in {e.text for e in best.narrative.examples}  # the evidence: which example


@pytest.mark.parametrize("sentence", [
    "Inspectors visited the site in Douma and took soil samples on Tuesday.",
    "NATO foreign ministers will meet in Brussels next week to discuss the budget.",
    "The city of Lviv opened a new water-testing laboratory for its schools.",
    "Heavy rain is expected in the north tomorrow afternoon.",
])
def test_topic_words_alone_or_unrelated_news_do_not_match(matcher, sentence: str) -> None:
    assert matcher.match([sentence], ["en"]) == [[]]


def test_short_fragments_are_not_compared_and_order_is_kept(matcher) -> None:
    results = matcher.match(["Biolabs.", "The Pentagon runs secret biolabs in Ukraine that make bioweapons."],
                            ["en", "en"])
    assert results[0] == []
    assert results[1][0].narrative.id == "ukraine-biolabs"
    assert results[1][0].cues["topic"]  # the keyword evidence is reported


def test_places_from_the_places_layer_are_a_cue(matcher) -> None:
    sentence = "Militants are preparing to stage a chemical attack so that the West can blame Damascus."
    syria = {(None, "SY")}
    matrix, *_ = matcher.features([sentence], ["en"], [syria])
    column = [n.id for n in matcher.narratives].index("syria-staged-chemical-attacks")
    assert matrix[0, column, -1] == 1.0


def test_the_gate_encodes_only_sentences_that_could_reach_the_threshold(matcher) -> None:
    assert matcher.gate
    sentences = ["The match ended two all after a late penalty in the rain.",        # no cue at all
                 "Officials inspected the damaged houses in the old town.",          # a place alone
                 "Secret laboratories making biological weapons were built in the region."]  # topic + frame
    places = [set(), {(None, "UA")}, set()]
    matrix, _ = matcher.cues(sentences, ["en"] * 3, places)
    assert matcher.reachable(matrix, ["en"] * 3).tolist() == [False, False, True]
    before = dict(matcher.counts)
    matcher.match(sentences, ["en"] * 3, places)
    assert matcher.counts["encoded"] - before.get("encoded", 0) == 1
    assert matcher.counts["sentences"] - before.get("sentences", 0) == 3


def test_english_sentences_reach_the_multilingual_encoder_only_when_they_match(matcher, monkeypatch) -> None:
    """An English sentence is scored on its MiniLM cosine; its multilingual vector only names the
    closest example of what it matched, so a sentence that matches nothing is never encoded."""
    from newsforensics.models import multilingual

    matched = "Secret American military labs on Ukrainian territory are breeding germs to use as weapons."
    unmatched = ("In a long interview about his childhood on a farm, the retired teacher recalled how the "
                 "village chemistry club once staged a play about a laboratory accident, and how the attack "
                 "of stage fright he suffered that night taught him patience.")  # keywords let it through
    matrix, _ = matcher.cues([unmatched], ["en"], [set()])
    assert matcher.reachable(matrix, ["en"]).tolist() == [True]
    _, best, cosine, _ = matcher.features([matched], ["en"], [set()])
    asked: list[str] = []
    encode = multilingual.encode
    monkeypatch.setattr(multilingual, "encode", lambda texts: asked.extend(texts) or encode(texts))
    results = matcher.match([unmatched, matched], ["en", "en"])
    assert asked == [matched] and results[0] == []
    top = results[1][0]
    column = matcher.narratives.index(top.narrative)
    assert top.example is matcher.examples[best[0, column]][1]
    assert top.cosine == pytest.approx(cosine[0, column], abs=1e-5)


def test_the_keyword_tree_finds_a_group_exactly_when_the_group_pattern_does(matcher) -> None:
    """The cues read which groups have a keyword from one walk over a character tree of every
    keyword; on any text it must agree with searching each group's own pattern."""
    import random

    from newsforensics.narratives.matcher import _keyword_pattern, _pairs

    patterns = {(j, group): _keyword_pattern(_pairs(langs)) for j, n in enumerate(matcher.narratives)
                for group, langs in n.keywords.items()}
    words = [w for n in matcher.narratives for langs in n.keywords.values() for ws in langs.values() for w in ws]
    pieces = words + ["the", " ", "\n\t ", "x", "-", "_", "ال", "و", ",", "labo", "bio", "2"]
    rng = random.Random(15)
    texts = [f"a {w}." for w in words] + [f"zz{w}" for w in words] + [f"_{w}" for w in words]
    texts += [w.replace(" ", "  \n") for w in words if " " in w]
    texts += ["".join(rng.choice(pieces)[: rng.randint(1, 12)] for _ in range(rng.randint(1, 8))) for _ in range(3000)]
    for text in texts:
        folded = text.casefold()
        expected = {label for label, pattern in patterns.items() if pattern is not None and pattern.search(folded)}
        assert matcher._keyword_groups.labels(folded) == expected, text
