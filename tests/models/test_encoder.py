"""The shipped sentence encoder: unit vectors, order kept, paraphrases nearer than unrelated text."""

from __future__ import annotations

import numpy as np

from newsforensics.models import encoder


def test_embeddings_are_unit_length_and_in_input_order() -> None:
    texts = ["A short one.", "", "A much longer sentence about drones launched from the coast at night."]
    vectors = encoder.encode(texts)
    assert vectors.shape == (3, encoder.EMBEDDING_DIM)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    # Dynamic int8 quantises activations per batch, so batch-mates move a vector slightly.
    assert float(encoder.encode([texts[2]])[0] @ vectors[2]) > 0.98


def test_paraphrase_is_nearer_than_unrelated_text() -> None:
    claim, paraphrase, unrelated = encoder.encode([
        "The ministry said the drones were launched from the coast.",
        "According to the ministry, the drones took off from the shore.",
        "Heavy rain is expected in the north tomorrow afternoon.",
    ])
    assert claim @ paraphrase > claim @ unrelated + 0.3


def test_no_texts_give_an_empty_matrix() -> None:
    assert encoder.encode([]).shape == (0, encoder.EMBEDDING_DIM)


def test_model_card_states_provenance() -> None:
    card = encoder.model_card()
    assert card["licence"] == "Apache-2.0"
    assert card["dimensions"] == encoder.EMBEDDING_DIM
