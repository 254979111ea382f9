"""The workbench under hostile input: user errors are 4xx with one sentence, never a 500."""

from __future__ import annotations

import pytest

HUGE = str(2**64)


@pytest.mark.parametrize("path", [
    f"/api/items/{HUGE}", f"/api/items/{HUGE}/download", f"/api/stories/{HUGE}", f"/api/copies?item_id={HUGE}",
    f"/items/{HUGE}", f"/items/{HUGE}/layers.css", f"/stories/{HUGE}",
])
def test_ids_beyond_sqlite_integers_are_422(corpus_client, path):
    response = corpus_client.get(path)
    assert response.status_code == 422, response.text


def test_a_pasted_record_with_a_lone_surrogate_is_analysed_with_a_warning(client):
    record = '{"text": "The harbour authority said the bridge \\ud800 will reopen on Monday."}'
    response = client.post("/api/analyze", json={"text": record})
    assert response.status_code == 201, response.text
    dossier = response.json()["dossier"]
    assert "bridge \ufffd will reopen" in dossier["text"]
    assert "invalid-unicode" in {w["code"] for w in dossier["warnings"]}
