"""The multilingual encoder: one vector space across languages, each text encoded once."""

from __future__ import annotations

import numpy as np

from newsforensics.models import multilingual


def test_the_same_event_in_other_languages_is_closer_than_another_event() -> None:
    vectors = multilingual.encode([
        "A Dutch court convicted three men for shooting down flight MH17.",
        "Суд в Нидерландах осудил троих мужчин за уничтожение рейса MH17.",
        "أدانت محكمة هولندية ثلاثة رجال لإسقاطهم الرحلة MH17.",
        "The European Central Bank raised interest rates to fight inflation.",
    ])
    assert vectors.shape == (4, multilingual.EMBEDDING_DIM)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    same_ru, same_ar, other = vectors[0] @ vectors[1], vectors[0] @ vectors[2], vectors[0] @ vectors[3]
    assert min(same_ru, same_ar) > other + 0.2


def test_a_text_is_encoded_once_and_empty_text_is_a_zero_vector(monkeypatch) -> None:
    text = "Le barrage a cédé dans la nuit et l'eau inonde les villages en aval."
    first = multilingual.encode([text])

    def refuse(*_args: object) -> None:
        raise AssertionError("encoded again")

    monkeypatch.setattr(multilingual._model(), "encode", refuse)
    again = multilingual.encode([text, "  "])
    assert np.array_equal(again[0], first[0])
    assert not again[1].any()
