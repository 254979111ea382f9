"""Fixtures for the corpus tests: hand-written articles, documents built without models."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newsforensics.document import Document, Metadata

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ARTICLES: dict[str, dict[str, str]] = {
    k: v for k, v in json.loads((FIXTURES / "corpus" / "articles.json").read_text("utf-8")).items()
    if not k.startswith("_")
}


def make_doc(text: str, *, title: str | None = None, outlet: str | None = "example.org",
             published: str | None = "2019-03-04", language: str | None = "en",
             url: str | None = None, techniques: tuple[tuple[str, str], ...] = ()) -> Document:
    """A document as the light profile leaves it; ``techniques`` are (phrase, label) pairs."""
    full = f"{title}\n\n{text}" if title else text
    doc = Document(full, meta=Metadata(title=title, outlet=outlet, published=published,
                                       language=language, url=url, input_kind="text"))
    spans = []
    for phrase, label in techniques:
        start = full.index(phrase)
        spans.append(doc.span(start, start + len(phrase), label, stage="techniques", score=0.9))
    if spans:
        doc.add("techniques", spans)
    return doc


def record(key: str, **fields: Any) -> dict[str, Any]:
    """A JSON Lines record of a fixture article, with metadata fields."""
    return {"title": ARTICLES[key]["title"], "text": ARTICLES[key]["text"], **fields}


def write_jsonl(path: Path, records: list[dict[str, Any]], extra_lines: tuple[str, ...] = ()) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for item in records:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
        for line in extra_lines:
            handle.write(line + "\n")
    return path


@pytest.fixture
def doc_factory() -> Callable[..., Document]:
    return make_doc
