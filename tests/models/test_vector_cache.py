"""The embedding cache: each distinct text embedded once per encoder, shared across calls."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from newsforensics.models import encoder
from newsforensics.models.vector_cache import cache_file, encode_cached


class CountingEncoder:
    """A stand-in encoder that records what it was asked to embed."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return np.array([[len(t), t.count("a"), 1.0] for t in texts], dtype=np.float32)


def _cached(texts: list[str], cache: Path | None, fake: CountingEncoder, model: str = "m-1") -> np.ndarray:
    return encode_cached(texts, cache, model_id=model, dim=3, encode=fake)


def test_each_distinct_text_is_embedded_once_and_then_read(tmp_path: Path) -> None:
    fake = CountingEncoder()
    first = _cached(["a claim", "a title", "a claim"], tmp_path, fake)
    assert fake.calls == [["a claim", "a title"]]
    grown = _cached(["a title", "a new claim", "a claim"], tmp_path, fake)  # a grown pool
    assert fake.calls[1:] == [["a new claim"]]
    assert np.array_equal(grown[[0, 2]], first[[1, 0]])
    assert _cached([], tmp_path, fake).shape == (0, 3)


def test_another_encoder_never_reads_these_vectors(tmp_path: Path) -> None:
    fake = CountingEncoder()
    _cached(["a claim"], tmp_path, fake, model="m-1")
    _cached(["a claim"], tmp_path, fake, model="m-2")
    assert fake.calls == [["a claim"], ["a claim"]]
    assert cache_file(tmp_path, "m-1") != cache_file(tmp_path, "m-2")


def test_no_folder_a_corrupt_file_or_an_unwritable_folder_only_cost_the_speed_up(tmp_path: Path) -> None:
    fake = CountingEncoder()
    expected = fake(["a claim"])
    assert np.array_equal(_cached(["a claim"], None, fake), expected)
    corrupt = cache_file(tmp_path, "m-1")
    corrupt.parent.mkdir(parents=True)
    corrupt.write_bytes(b"not a database" * 100)
    assert np.array_equal(_cached(["a claim"], tmp_path, fake), expected)
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    assert np.array_equal(_cached(["a claim"], blocked, fake), expected)


def test_parallel_batches_give_the_same_embeddings() -> None:
    texts = [f"claim number {i} about {'vaccines ' * (i % 7)}" for i in range(70)]
    assert np.allclose(encoder.encode(texts, workers=2), encoder.encode(texts), atol=1e-5)


def test_the_real_encoder_fills_and_reads_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["Drones were seen over the coast.", "Rain is forecast."]
    first = encoder.encode_cached(texts, tmp_path)
    monkeypatch.setattr(encoder, "encode", lambda *a, **k: pytest.fail("embedded again"))
    assert np.array_equal(encoder.encode_cached(texts[::-1], tmp_path), first[::-1])
