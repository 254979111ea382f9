"""The Pipeline: registry, configuration, order, batching, language gating and error capture."""

from __future__ import annotations

from typing import ClassVar

import pytest

from newsforensics.document import Document, Metadata
from newsforensics.pipeline import DEFAULT_STAGES, BaseStage, Pipeline, catalogue, profile, register, registered


@register("test-upper")
class UpperWords(BaseStage):
    """Marks capitalised words; a stand-in stage to test the mechanics."""

    provides: ClassVar[tuple[str, ...]] = ("caps",)

    def __call__(self, doc: Document) -> None:
        import re

        doc.add("caps", [doc.span(m.start(), m.end(), "CAP", stage=self.name)
                         for m in re.finditer(r"\b[A-Z]\w+", doc.text)])


@register("test-boom")
class Boom(BaseStage):
    provides: ClassVar[tuple[str, ...]] = ("boom",)

    def __call__(self, doc: Document) -> None:
        doc.add("boom", [doc.span(0, 1, "partial", stage=self.name)])
        if "boom" in doc.text:
            raise RuntimeError("exploded")


@register("test-english-only")
class EnglishOnly(BaseStage):
    provides: ClassVar[tuple[str, ...]] = ("english",)
    languages: ClassVar[tuple[str, ...] | None] = ("en",)

    def __call__(self, doc: Document) -> None:
        doc.add("english", [doc.span(0, 1, "seen", stage=self.name)])


def test_default_stages_are_all_registered() -> None:
    assert set(DEFAULT_STAGES) <= set(registered())


def test_unknown_stage_names_are_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown stage.*nope"):
        Pipeline(["nope"])


def test_disable_removes_stages() -> None:
    assert Pipeline(["language", "segment"], disable=["segment"]).names == ["language"]


def test_stage_options_are_checked() -> None:
    with pytest.raises(TypeError, match="takes no options"):
        Pipeline(["test-upper"], options={"test-upper": {"colour": "red"}})


def test_pipe_keeps_order_and_records_provenance() -> None:
    docs = [Document(f"Doc {i} Mentions Kyiv") for i in range(5)]
    out = list(Pipeline(["test-upper"], batch_size=2).pipe(docs))
    assert out == docs
    assert all([s.text for s in d.get("caps")] == ["Doc", "Mentions", "Kyiv"] for d in out)
    assert all(d.stage_runs[0].name == "test-upper" and d.stage_runs[0].status == "ok" for d in out)


def test_a_failing_stage_degrades_only_the_bad_document() -> None:
    good, bad = Document("fine text"), Document("this goes boom")
    Pipeline(["test-boom", "test-upper"], on_error="warn").pipe([good, bad]).__next__()
    assert [s.label for s in good.get("boom")] == ["partial"]
    assert bad.get("boom") == []  # partial output of the failed run is dropped
    assert bad.stage_runs[0].status == "failed" and "exploded" in bad.stage_runs[0].detail
    assert any(w.code == "stage-failed" for w in bad.warnings)
    assert not good.warnings


def test_language_gating_skips_with_a_warning() -> None:
    fr = Document("Bonjour", meta=Metadata(language="fr"))
    en = Document("Hello", meta=Metadata(language="en"))
    Pipeline(["test-english-only"])(fr)
    Pipeline(["test-english-only"])(en)
    assert fr.get("english") == [] and en.get("english")
    assert fr.stage_runs[0].status == "skipped"
    assert any(w.code == "language-not-covered" for w in fr.warnings)


def test_cache_is_cleared_after_a_run() -> None:
    doc = Document("Some Text")
    doc.cache["spacy"] = object()
    Pipeline(["test-upper"])(doc)
    assert doc.cache == {}


@register("test-keeper")
class Keeper(BaseStage):
    """A stage whose result lives in the cache for a later consumer (as the corpus's minhash)."""

    keeps: ClassVar[tuple[str, ...]] = ("test-kept",)

    def __call__(self, doc: Document) -> None:
        doc.cache["test-kept"] = len(doc.text)
        doc.cache["scratch"] = "parse"


def test_a_stage_keeps_its_cache_entry_past_the_batch() -> None:
    doc = Document("Some Text")
    Pipeline(["test-keeper", "test-upper"])(doc)
    assert doc.cache == {"test-kept": 9}


@register("test-fill-boom")
class FillBoom(BaseStage):
    """Fills a layer another stage also provides, then fails."""

    provides: ClassVar[tuple[str, ...]] = ("caps",)

    def __call__(self, doc: Document) -> None:
        doc.add("caps", [doc.span(0, 1, "filler", stage=self.name)])
        raise RuntimeError("exploded")


def test_a_failing_stage_drops_only_its_own_spans_of_a_shared_layer() -> None:
    doc = Document("Some Text")
    Pipeline(["test-upper", "test-fill-boom"], on_error="warn")(doc)
    assert [s.label for s in doc.get("caps")] == ["CAP", "CAP"]
    assert doc.stage_runs[-1].status == "failed"


def test_every_profile_names_registered_stages_only() -> None:
    profiles = catalogue()["profiles"]
    assert profile("article") == DEFAULT_STAGES
    assert profile("full") == (*DEFAULT_STAGES, "corpus-cues", "minhash", "story-embedding")
    assert set(catalogue()["ingest"]["profiles"]) <= set(profiles)
    for name in profiles:
        assert Pipeline(profile(name)).names == list(profile(name))
    with pytest.raises(ValueError, match="unknown pipeline profile 'huge'"):
        profile("huge")


def test_on_error_raise_lets_a_stage_bug_propagate(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(RuntimeError, match="exploded"):
        Pipeline(["test-boom"], on_error="raise")(Document("this goes boom"))
    monkeypatch.setenv("NEWSFORENSICS_ON_ERROR", "warn")
    assert Pipeline(["test-boom"]).on_error == "warn"
    monkeypatch.setenv("NEWSFORENSICS_ON_ERROR", "raise")
    assert Pipeline(["test-boom"]).on_error == "raise"
    with pytest.raises(ValueError, match="on_error must be one of"):
        Pipeline(["test-boom"], on_error="ignore")
