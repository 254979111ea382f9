"""Inputs built to lose their body: markup nested past the parser's depth, ASCII with stray bytes."""

from __future__ import annotations

from newsforensics.ingest import load

SENTENCE = ("The mayor of Novi Sad said on Monday that the bridge over the Danube will reopen next week "
            "after repairs, officials confirmed.")


def test_html_nested_300_deep_keeps_its_body_with_a_warning() -> None:
    body = f"<p>{SENTENCE}</p>" * 4
    page = (f"<html><head><title>Bridge</title><script>var hidden = 1;</script></head><body>"
            f"{'<div>' * 300}{body}{'</div>' * 300}</body></html>")
    doc = load(page.encode())
    assert doc.text.count(SENTENCE) == 4 and "hidden" not in doc.text
    assert doc.meta.title == "Bridge" and doc.meta.input_kind == "html"
    assert [w.code for w in doc.warnings] == ["html-too-deep"]


def test_ascii_with_a_few_stray_bytes_is_utf8_with_replacements() -> None:
    data = (SENTENCE + " ") * 20
    raw = data[:200].encode() + b"\x93\xff" + data[200:600].encode() + b"\xe9" + data[600:].encode()
    doc = load(raw)
    assert doc.meta.encoding == "utf-8" and "invalid-utf8" in [w.code for w in doc.warnings]
    assert doc.text.count("\ufffd") == 3 and doc.text.replace("\ufffd", "").strip() == data.strip()
