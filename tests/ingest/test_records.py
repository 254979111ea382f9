"""JSON records: body and metadata fields; clear errors for malformed records."""

from __future__ import annotations

import json

import pytest

from newsforensics.errors import InputError
from newsforensics.ingest import load
from newsforensics.ingest.records import parse_record


def test_text_record_with_metadata() -> None:
    record = parse_record(json.dumps({
        "text": "Dam Repairs Finished\n\nThe dam reopened.", "url": "https://news.example/dam",
        "title": " Dam Repairs Finished ", "published": "2023-05-02", "outlet": "Example News",
        "language": "en", "extra": {"ignored": True},
    }))
    assert record == {
        "body": "Dam Repairs Finished\n\nThe dam reopened.", "kind": "text",
        "url": "https://news.example/dam", "title": "Dam Repairs Finished", "published": "2023-05-02",
        "outlet": "Example News", "language": "en",
    }


def test_html_wins_over_text_and_missing_fields_are_none() -> None:
    record = parse_record('{"html": "<p>Body</p>", "text": "fallback", "url": 42}')
    assert record["kind"] == "html" and record["body"] == "<p>Body</p>"
    assert record["url"] is None and record["title"] is None


@pytest.mark.parametrize("text, message", [
    ('{"text": "unterminated', "not valid JSON"),
    ("[1, 2, 3]", "JSON list, not a record"),
    ('"just a string"', "JSON str, not a record"),
    ('{"url": "https://news.example/a"}', 'without a non-empty "text" or "html"'),
    ('{"text": "   ", "html": ""}', 'without a non-empty "text" or "html"'),
    ('{"text": ["a", "b"]}', 'without a non-empty "text" or "html"'),
    ("[" * 100_000 + "]" * 100_000, "JSON"),
])
def test_malformed_records_raise_one_clear_sentence(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_record(text, source_name="item.json")


def test_load_reads_a_record_and_its_metadata_through_the_readers() -> None:
    data = json.dumps({
        "html": "<html><body><article><h1>Ferry Sinks</h1><p>A ferry sank off the north coast on Sunday "
                "evening; all forty passengers were rescued by fishing boats, the coastguard said.</p>"
                "</article></body></html>",
        "url": "https://news.example/ferry", "published": "2022-08-14", "outlet": "Coast Radio",
    }).encode()
    doc = load(data, source_name="ferry.json")
    assert doc.meta.input_kind == "record"
    assert doc.meta.published == "2022-08-14" and doc.meta.published_source == "input"
    assert doc.meta.outlet == "Coast Radio" and doc.meta.url == "https://news.example/ferry"
    assert "all forty passengers were rescued" in doc.text
