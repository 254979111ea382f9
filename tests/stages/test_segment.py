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


def test_pysbd_segments_as_it_did_before_its_patterns_were_cached_and_its_search_sped_up() -> None:
    import json
    import subprocess
    import sys

    paragraphs = [
        "Maj. Gen. John Smith arrived at 5 p.m. on Jan. 5. He met Dr. Jones of the U.S. Army.",
        "The co. said no. 5 was St. Louis' pick; Prof. X (Ph.D.) disagreed. See p. 12 and pp. 3-4.",
        "It is 3 a.m.\tMr. Lee, Mrs. Lee and Ms. Lee left. \"No!\" she said. Why? Because.",
        "Gen.\u00a0Mattis met Sen. McCain in Ariz. on Mon. Dec. 4, 2017, e.g. at the Fed. offices.",
        "1) first item 2) second item. a. alpha b. beta. Ill. Gov. Rauner vs. Wis. Gov. Walker.",
        "Die Ministerin sagte am 3. Okt. in Berlin: \u201eWir werden das z.B. pr\u00fcfen.\u201c Dr. M\u00fcller nicht.",
    ]
    script = (
        "import json, sys, pysbd\n"
        "from newsforensics.stages.segment import _segmenter\n"
        "paragraphs = json.loads(sys.stdin.read())\n"
        "langs = ('en', 'de')\n"
        "plain = {l: [pysbd.Segmenter(language=l, clean=False).segment(p) for p in paragraphs] for l in langs}\n"
        "fast = {l: [_segmenter(l).segment(p) for p in paragraphs] for l in langs}\n"
        "print(json.dumps([plain, fast]))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], input=json.dumps(paragraphs),
                         capture_output=True, text=True, check=True)
    plain, fast = json.loads(out.stdout)
    assert fast == plain
    assert len(plain["en"][0]) == 2 and plain["en"][0][0].startswith("Maj. Gen. John Smith")


def test_a_list_search_is_skipped_only_where_it_would_find_nothing() -> None:
    import random
    import re

    from newsforensics.stages.segment import _list_patterns_needs

    rng = random.Random(11)
    pieces = ["1", "12", "3.", ".", ")", "(", "a", "iv", " ", "\n", "-", "⁃", "x.", "b)", "Q", "٣"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(20000)]
    for (pattern, flags), needed in _list_patterns_needs().items():
        compiled = re.compile(pattern, flags)
        found = [t for t in texts if compiled.findall(t)]
        assert found, pattern  # the fuzz reaches every pattern
        assert all(needed.search(t) for t in found), pattern
