"""The issue's example page dump (research data, read from ../shared, never copied)."""

from __future__ import annotations

from newsforensics.ingest import load


def test_example_dump_is_cleaned_as_the_issue_requires(example_text: str) -> None:
    doc = load(example_text.encode("utf-8"), source_name="southfront-idlib.txt")
    title = doc.meta.title
    assert title and title.endswith(": Russian MoD")
    assert doc.text.count(title) == 1 and doc.text.startswith(title + "\n\n")
    widgets = [r for r in doc.removed if r.reason == "widget: number/currency only"]
    assert len(widgets) == 4
    assert [r.kind for r in doc.removed].count("duplicate-title") == 1
    (caption,) = [r for r in doc.removed if r.kind == "caption"]
    assert caption.text.endswith("© / Ruptly") and caption.attrs["credit"] == "Ruptly"
    assert caption.text not in doc.text
    substantive = [line.strip() for line in example_text.split("\n") if line.strip()]
    last_two = substantive[-2:]
    tail = [r for r in doc.removed if r.text in last_two]
    assert [r.kind for r in tail] == ["boilerplate", "boilerplate"]
    assert all(r.reason for r in tail)
    assert not any(line in doc.text for line in last_two)
    for r in doc.removed:
        assert example_text[r.raw_start:r.raw_end] == r.text
    for clean, raw_start, length in doc.offset_map.segments:
        assert doc.text[clean:clean + length] == example_text[raw_start:raw_start + length]
    assert len(doc.text.split("\n")) == 2 + 7  # headline, blank line, seven body paragraphs
