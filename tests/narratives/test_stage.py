"""The narratives stage in the default pipeline: layer, stance, the summary view, every report."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from newsforensics import analyze
from newsforensics.cli import app
from newsforensics.serialize import schema, to_dict

ARTICLE = """Ministry: labs in Ukraine

The Pentagon runs a network of secret laboratories in Ukraine where American military scientists develop biological weapons aimed at Russians.

Kyiv has denied the reports, and fact-checkers called the claim baseless.

The weather in Odesa was mild on Monday, with light winds from the sea.
"""
NEUTRAL = """Harbour reopens

The harbour reopened on Monday after the storm, the port authority said.

Ferries will run on the usual timetable from Tuesday.
"""


@pytest.fixture(scope="module")
def dossier(pipeline) -> dict:
    return to_dict(analyze(ARTICLE, pipeline=pipeline))


def test_carrying_sentence_is_matched_with_its_evidence(dossier: dict) -> None:
    carried = [s for s in dossier["narratives"] if s["stance"] != "denied"]
    assert carried and carried[0]["narrative"] == "ukraine-biolabs"
    span = carried[0]
    assert span["text"].startswith("The Pentagon runs a network")
    assert span["example"] and span["example_lang"] and 0.5 <= span["score"] <= 1
    assert span["cues"]["topic"] and span["title"].startswith("US-funded laboratories")
    jsonschema.Draft202012Validator(schema()).validate(dossier)


def test_a_reported_denial_does_not_count_as_carrying(dossier: dict) -> None:
    denied = [s for s in dossier["narratives"] if s["stance"] == "denied"]
    assert all("denied" in s["text"] or "baseless" in s["text"] for s in denied)
    summary = dossier["narrative_matches"]
    assert summary["status"] == "match"
    (row,) = [r for r in summary["narratives"] if r["id"] == "ukraine-biolabs"]
    assert row["carried"] + row["attributed"] >= 1
    assert all(e["stance"] != "denied" or e["score"] <= 1 for e in row["evidence"])
    assert not any("weather" in s["text"] for s in dossier["narratives"])


def test_no_match_is_stated(pipeline) -> None:
    from newsforensics.narratives.render import narrative_lines

    dossier = to_dict(analyze(NEUTRAL, pipeline=pipeline))
    summary = dossier["narrative_matches"]
    assert summary["status"] == "no-match" and summary["narratives"] == []
    assert summary["catalogue"].startswith("builtin@")
    assert narrative_lines(dossier) == [f"no known narrative matched ({summary['catalogue']})"]


@pytest.mark.parametrize(("fmt", "shown"), [("markdown", "ukraine-biolabs"), ("html", "ukraine-biolabs"),
                                           ("summary", "Known narratives")])
def test_every_report_shows_the_narratives(pipeline, tmp_path: Path, fmt: str, shown: str) -> None:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(path), "--format", fmt], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert shown in result.stdout


def test_user_catalogue_option_adds_a_narrative(tmp_path: Path) -> None:
    from newsforensics.document import Document
    from newsforensics.pipeline import Pipeline

    extra = tmp_path / "mine.json"
    extra.write_text(json.dumps({"format": "newsforensics-narratives", "format_version": 1, "name": "mine",
                                 "version": "1", "narratives": [{
                                     "id": "harbour-sabotage", "title": "The harbour storm was sabotage",
                                     "summary": "Claims the harbour closure was caused by saboteurs.",
                                     "keywords": {"topic": {"en": ["harbour"]}, "frame": {"en": ["sabotag"]}},
                                     "examples": [{"lang": "en", "text": "Saboteurs closed the harbour, not the storm."}]}]}),
                     encoding="utf-8")
    pipeline = Pipeline(["segment", "narratives"],
                        options={"narratives": {"catalogue": [str(extra)], "builtin": False}})
    doc = pipeline(Document("The harbour was shut down by sabotage on Monday, not by the storm."))
    assert [s.label for s in doc.get("narratives")] == ["harbour-sabotage"]
    assert doc.get("narratives")[0].attrs["catalogue"] == "mine@1"
