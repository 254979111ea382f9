"""Text the readers accept always survives encoding: lone surrogates (a JSON "\\ud800" escape,
a file name that was not UTF-8) become U+FFFD with a warning instead of aborting a write."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsforensics.ingest import load
from newsforensics.serialize import to_dict

RECORD = '{"text": "The bridge \\ud800 will reopen on Monday, the mayor said.", "title": "Bridge \\udc80"}'


def _codes(doc) -> list[str]:  # type: ignore[no-untyped-def]
    return [w.code for w in doc.warnings]


@pytest.mark.parametrize("source", [RECORD, RECORD.encode()])
def test_a_json_record_with_a_lone_surrogate_is_read_with_a_warning(source: str | bytes) -> None:
    doc = load(source)
    assert "The bridge \ufffd will reopen" in doc.text and doc.meta.title == "Bridge \ufffd"
    assert _codes(doc).count("invalid-unicode") == 1
    json.dumps(to_dict(doc), ensure_ascii=False).encode("utf-8")  # writable as UTF-8


def test_surrogates_in_text_and_hints_are_replaced() -> None:
    doc = load("Officials said the bridge \udcff reopens.", title="T \ud800", source_name="bad\udcffname.txt")
    assert doc.text == "Officials said the bridge \ufffd reopens." and doc.meta.title == "T \ufffd"
    assert doc.meta.source_name == "bad\ufffdname.txt" and "invalid-unicode" in _codes(doc)


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=()), min_size=1, max_size=200))
def test_any_accepted_text_encodes_as_utf8(text: str) -> None:
    if not text.strip() or not text.lstrip("\ufeff").strip():
        return
    try:
        doc = load(text, kind="text")
    except Exception as exc:  # only the readers' own clear refusals are allowed
        assert type(exc).__name__ == "InputError"
        return
    json.dumps(to_dict(doc), ensure_ascii=False).encode("utf-8")
