"""The factchecks stage: matched earlier fact-checks per claim, or a plain 'not searched'."""

from __future__ import annotations

from pathlib import Path

from newsforensics.document import Document
from newsforensics.pipeline import Pipeline
from newsforensics.serialize import to_dict

ARTICLE = ("Pentagon biolabs\n\nThe Pentagon runs secret laboratories in Ukraine where American "
           "military scientists make biological weapons, a television host said on Monday.")


def _claims_doc() -> Document:
    doc = Document(ARTICLE)
    start = ARTICLE.index("The Pentagon")
    end = ARTICLE.index(", a television")
    doc.add("claims", [doc.span(start, end, "claim", stage="test", score=0.9)])
    return doc


def test_without_a_store_nothing_is_searched_and_the_dossier_says_why(tmp_path: Path) -> None:
    doc = Pipeline(["factchecks"])(_claims_doc())
    assert doc.get("factchecks") == []
    assert doc.sections["factchecks"]["searched"] is False
    assert "no fact-check store configured" in doc.sections["factchecks"]["reason"]
    doc = Pipeline(["factchecks"], options={"factchecks": {"db": str(tmp_path / "none.db")}})(_claims_doc())
    assert "does not exist" in doc.sections["factchecks"]["reason"]


def test_with_a_store_each_claim_gets_its_fact_check_with_verdict_and_link(factcheck_db: Path) -> None:
    doc = Pipeline(["factchecks"], options={"factchecks": {"db": str(factcheck_db)}})(_claims_doc())
    spans = doc.get("factchecks")
    assert spans, "the biolabs claim should match the fixture fact-check"
    best = max(spans, key=lambda s: s.score)
    assert best.label == "False" and best.attrs["verdict"] == "False"
    assert best.attrs["url"] == "https://factcheck.example.org/2022/biolabs"
    assert best.attrs["claim"] == doc.get("claims")[0].id
    assert (best.start, best.end) == (doc.get("claims")[0].start, doc.get("claims")[0].end)
    assert doc.sections["factchecks"] == {"searched": True, "pool": 7, "claims": 1}
    out = to_dict(doc)
    assert out["factchecks"][0]["factcheck_claim"].startswith("The Pentagon runs secret")


def test_environment_variable_configures_the_store(factcheck_db: Path, monkeypatch) -> None:
    monkeypatch.setenv("NEWSFORENSICS_FACTCHECK_DB", str(factcheck_db))
    doc = Pipeline(["factchecks"])(_claims_doc())
    assert doc.sections["factchecks"]["searched"] is True


def test_terminal_lines_say_what_was_searched(factcheck_db: Path) -> None:
    from newsforensics.factchecks.render import factcheck_lines

    searched = to_dict(Pipeline(["factchecks"], options={"factchecks": {"db": str(factcheck_db)}})(_claims_doc()))
    (line, *_) = factcheck_lines(searched)
    assert line.startswith("c1: False · “The Pentagon runs secret") and "https://factcheck.example.org" in line
    unsearched = to_dict(Pipeline(["factchecks"])(_claims_doc()))
    assert factcheck_lines(unsearched)[0].startswith("not searched: no fact-check store configured")
