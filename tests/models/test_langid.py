"""py3langid's identifier from the unpacked copy in the user cache is the one py3langid builds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from newsforensics.models import langid

SAMPLES = [
    "The foreign ministry rejected the report as baseless on Tuesday.",
    "Министерство иностранных дел во вторник отвергло этот доклад.",
    "رفضت وزارة الخارجية التقرير يوم الثلاثاء",
    "ok",
]


def _fresh(cache: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEWSFORENSICS_CACHE", str(cache))
    langid.identifier.cache_clear()
    try:
        return langid.identifier()
    finally:
        langid.identifier.cache_clear()


def test_the_unpacked_copy_gives_py3langids_identifier(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    first = _fresh(tmp_path, monkeypatch)  # unpacks the shipped model and writes the copy
    assert list((tmp_path / "py3langid").glob("*.npz"))
    second = _fresh(tmp_path, monkeypatch)  # reads the copy
    for loaded in (first, second):
        assert loaded.nb_classes == reference.nb_classes
        assert loaded.tk_nextmove == reference.tk_nextmove and loaded.tk_row == reference.tk_row
        assert loaded.tk_output == reference.tk_output
        assert np.array_equal(loaded.nb_ptc, reference.nb_ptc)
        assert [loaded.classify(s) for s in SAMPLES] == [reference.classify(s) for s in SAMPLES]


def test_an_unusable_cache_only_costs_the_speed_up(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")  # the cache folder cannot be created under a file
    assert _fresh(blocked, monkeypatch).classify(SAMPLES[0])[0] == "en"
    corrupt = tmp_path / "cache"
    _fresh(corrupt, monkeypatch)
    for copy in (corrupt / "py3langid").glob("*.npz"):
        copy.write_bytes(copy.read_bytes()[:1_000_000])  # truncated
    assert _fresh(corrupt, monkeypatch).classify(SAMPLES[0])[0] == "en"
