"""Span conventions: learnt from gold against a tagger's spans, applied to new text, saved as data."""

from __future__ import annotations

from pathlib import Path

from newsforensics.models.ner import load_ner
from newsforensics.models.ner_convention import Convention, learn, to_toml

ENDINGS = ["и", "ии", "ия", "а", "ы", "о"]


def spans(text: str, *marked: tuple[str, str]) -> set[tuple[int, int, str]]:
    return {(text.index(words), text.index(words) + len(words), label) for words, label in marked}


# Sentences written for this test, tagged the way natasha tags them and the way FactRuEval does.
TRAIN = [
    ("Акции компании Microsoft выросли .", [("Microsoft", "ORG")], [("компании Microsoft", "ORG")]),
    ("Сделку одобрила компания Google .", [("Google", "ORG")], [("компания Google", "ORG")]),
    ("Заявление компании Apple ( США ) .", [("Apple ( США )", "ORG")], [("компании Apple", "ORG"), ("США", "ORG")]),
    ("Правительство Китая промолчало .", [("Китая", "LOC")], [("Правительство Китая", "ORG")]),
    ("Ответ правительства Японии был резким .", [("Японии", "LOC")], [("правительства Японии", "ORG")]),
    ("Депутаты Госдумы России и ЕС .", [("Госдумы", "ORG"), ("России", "LOC"), ("ЕС", "LOC")],
     [("Госдумы России", "ORG"), ("ЕС", "ORG")]),
    ("Посол ЕС в Совете Европы .", [("ЕС", "LOC"), ("Совете", "ORG"), ("Европы", "LOC")],
     [("ЕС", "ORG"), ("Совете Европы", "ORG")]),
    ("Глава ЕС приехал в Кремль ОАО « Газпром » .", [("ЕС", "LOC"), ("ОАО « Газпром »", "ORG")],
     [("ЕС", "ORG"), ("ОАО « Газпром", "ORG")]),
    ("Он живёт в Москве .", [("Москве", "LOC")], [("Москве", "LOC")]),
]


def learnt() -> Convention:
    texts = [text for text, _, _ in TRAIN]
    predicted = [spans(text, *tagged) for text, tagged, _ in TRAIN]
    gold = [spans(text, *marked) for text, _, marked in TRAIN]
    return learn(texts, gold, predicted, ENDINGS, min_gain=2, min_relabel=2)


def test_learns_descriptors_label_changes_and_merges_from_the_gold_set() -> None:
    convention = learnt()
    assert convention.descriptors == {("компан", "ORG"): "ORG", ("правительств", "LOC"): "ORG"}
    assert convention.relabel == {("ес", "LOC"): "ORG"}
    assert convention.merges == {("ORG", "LOC"): "ORG"}


def test_applies_to_new_text_written_without_spaces_inside_quotes() -> None:
    text = "Представитель компании Intel и правительство Франции, а также АО «Росатом» (РФ) и ЕС."
    tagged = spans(text, ("Intel", "ORG"), ("Франции", "LOC"), ("АО «Росатом» (РФ)", "ORG"), ("ЕС", "LOC"))
    assert set(learnt().apply(text, tagged)) == spans(
        text, ("компании Intel", "ORG"), ("правительство Франции", "ORG"), ("АО «Росатом»", "ORG"),
        ("РФ", "ORG"), ("ЕС", "ORG"))


def test_a_descriptor_taken_in_across_an_opening_quote_brings_the_closing_one() -> None:
    text = "Члены партии «Новый путь» и фонда „Открытый город“ заявили."
    tagged = spans(text, ("Новый путь", "ORG"), ("Открытый город", "ORG"))
    convention = Convention(learnt().endings, True, {("парт", "ORG"): "ORG", ("фонд", "ORG"): "ORG"})
    assert set(convention.apply(text, tagged)) == spans(
        text, ("партии «Новый путь»", "ORG"), ("фонда „Открытый город“", "ORG"))


def test_a_span_nothing_applies_to_is_kept() -> None:
    text = "Он приехал в Берлин к Анне Шмидт."
    tagged = spans(text, ("Берлин", "LOC"), ("Анне Шмидт", "PER"))
    assert set(learnt().apply(text, tagged)) == tagged


def test_the_data_file_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text(to_toml(learnt(), "learnt from sentences\nwritten for a test"), encoding="utf-8")
    assert Convention.load(path) == learnt()
    assert path.read_text("utf-8").startswith("# learnt from sentences\n# written for a test\n")


def test_the_russian_tagger_reshapes_its_spans_by_the_shipped_convention() -> None:
    text = "Акции компании Microsoft упали, сообщило правительство Японии."
    tagger = load_ner("ru")
    raw, reshaped = tagger.spans([text], reshape=False)[0], tagger.spans([text])[0]
    assert (text.index("Microsoft"), text.index(" упали"), "ORG") in raw
    assert (text.index("компании"), text.index(" упали"), "ORG") in reshaped
    assert (text.index("правительство"), len(text) - 1, "ORG") in reshaped
