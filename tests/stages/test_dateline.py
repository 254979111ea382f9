"""Datelines: place, date and agency before a wire story's first sentence; never a claim."""

from __future__ import annotations

import pytest

from newsforensics.document import Document, Metadata
from newsforensics.pipeline import Pipeline

PIPELINE = Pipeline(["language", "segment", "dateline", "entities", "quotes", "framing", "claims"])


def _run(body: str) -> Document:
    return PIPELINE(Document("Headline of the story\n\n" + body,
                             meta=Metadata(language="en", title="Headline of the story")))


@pytest.mark.parametrize(("body", "place", "date", "agency"), [
    ("MOSCOW, March 29 (Reuters) - Troops moved north, a Russian official said.", "MOSCOW", "March 29", "Reuters"),
    ("KYIV (AP) — Russian forces shelled the city overnight, officials said.", "KYIV", None, "AP"),
    ("Feb 9 (Reuters) - Puerto Rico said on Friday it will receive aid.", None, "Feb 9", "Reuters"),
    ("Geneva - The health agency chief said the epidemic was under control.", "Geneva", None, None),
])
def test_datelines_are_read(body: str, place: str | None, date: str | None, agency: str | None) -> None:
    doc = _run(body)
    [dateline] = doc.get("dateline")
    assert (dateline.attrs["place"], dateline.attrs["date"], dateline.attrs["agency"]) == (place, date, agency)
    assert not any(c.start < dateline.end for c in doc.get("claims"))


def test_a_dateline_place_is_geocoded() -> None:
    [dateline] = _run("MOSCOW, March 29 (Reuters) - Troops moved north, an official said.").get("dateline")
    assert dateline.attrs["geocoded"]["country"] == "RU"


@pytest.mark.parametrize("body", [
    "Smith - the author of the book - said the plan would fail.",
    "BREAKING: Troops entered the city at dawn.",
    "The army moved north on Monday, officials said.",
])
def test_sentences_that_only_look_like_datelines_are_not(body: str) -> None:
    assert _run(body).get("dateline") == []
