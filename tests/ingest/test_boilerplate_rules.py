"""The shared line rules: multilingual calls to action, related links and cookie notices."""

from __future__ import annotations

import pytest

from newsforensics.ingest.boilerplate import rules


@pytest.mark.parametrize("line, rule", [
    # calls to action
    ("Do you like this content? Consider helping us!", "call-to-action"),
    ("Faites un don pour soutenir notre rédaction", "call-to-action"),
    ("Jetzt spenden und unabhängigen Journalismus sichern", "call-to-action"),
    ("Suscríbete para leer sin límites", "call-to-action"),
    ("Sostienici con una donazione", "call-to-action"),
    ("Поддержите нас: подписка от 100 рублей", "call-to-action"),
    ("Підтримайте нас на Patreon", "call-to-action"),
    ("ادعمنا بالتبرع الآن", "call-to-action"),
    # related links, misspellings included
    ("More n this topic:", "related"),
    ("More on this topic", "related"),
    ("À lire aussi : la réforme des retraites", "related"),
    ("Lesen Sie auch: Die Bahn streikt", "related"),
    ("Lee también: La sequía en Andalucía", "related"),
    ("Leggi anche: Il governo e la manovra", "related"),
    ("Читайте также: Новости региона", "related"),
    ("Читайте також: Новини Києва", "related"),
    ("اقرأ أيضاً: أخبار المنطقة", "related"),
    # cookies
    ("This website uses cookies to ensure you get the best experience.", "cookies"),
    ("Wir verwenden Cookies, um unsere Website zu verbessern.", "cookies"),
    ("Utilizamos cookies propias y de terceros.", "cookies"),
    ("Questo sito utilizza i cookie per migliorare l'esperienza.", "cookies"),
    ("Мы используем файлы cookie для улучшения работы сайта.", "cookies"),
    ("Ми використовуємо файли cookie.", "cookies"),
    ("نستخدم ملفات تعريف الارتباط لتحسين تجربتك", "cookies"),
    # counters and labels
    ("1.2K shares", "share-counter"),
    ("Comments (14)", "comments"),
    ("ADVERTISEMENT", "advertisement"),
    ("Publicité", "advertisement"),
    ("€ 25", "widget"),
    # captions, bylines and tickers seen on real items (FakeNewsCorpus, PTC)
    ("Featured Image via Getty Images/Drew Angerer", "caption"),
    ("President Trump, right, with Rep. Robert Lighthizer ( REUTERS/Jonathan Ernst/Reuters )", "caption"),
    ("Expand | Collapse (Photo: Reuters/Peter Macdiarmid) Ampoules containing a medium", "caption"),
    ("In this Sept. 19, 2013, file photo, the founder speaks from the balcony.", "caption"),
    ("(Reporting by Nick Brown; Editing by Cynthia Osterman)", "byline"),
    ("By John Smith and Jane Doe", "byline"),
    ("% of readers think this story is Fact. Add your two cents.", "ticker"),
    ("Headline: Bitcoin & Blockchain Searches Exceed Trump!", "ticker"),
])
def test_boilerplate_lines_are_classified(line: str, rule: str) -> None:
    verdict = rules().classify(line)
    assert verdict is not None and verdict.rule == rule, verdict


@pytest.mark.parametrize("line", [
    "By then, the military had seized the parliament building.",
    "By the end of March the army had withdrawn.",
    "In this case the ministry said the photo was a fake, officials said on Monday.",
])
def test_body_sentences_that_look_like_bylines_or_captions_are_kept(line: str) -> None:
    verdict = rules().classify(line)
    assert verdict is None or verdict.rule not in ("byline", "caption"), verdict


def test_long_paragraphs_are_never_boilerplate_even_when_they_mention_it() -> None:
    paragraph = ("The regulator said websites that use cookies without consent will be fined, and it "
                 "asked readers to share their experiences; more on this topic will follow. ") * 5
    assert rules().classify(paragraph) is None
