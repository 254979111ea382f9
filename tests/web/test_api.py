"""The JSON API: analyse, dossiers, downloads, corpus search and items, errors as JSON."""

from __future__ import annotations

import jsonschema
import pytest

from newsforensics.serialize import schema


@pytest.fixture(scope="module")
def text(article) -> str:
    return article("port-closure.txt")


def test_analyze_returns_a_schema_valid_dossier_and_its_links(client, text):
    response = client.post("/api/analyze", json={"text": text, "outlet": "harbour-news.example"})
    assert response.status_code == 201
    body = response.json()
    jsonschema.validate(body["dossier"], schema())
    assert body["dossier"]["outlet"] == "harbour-news.example"
    assert body["dossier"]["title"].startswith("Harbour Authority Closes Port")
    assert {"Ilves", "Marta Ilves"} & {q.get("speaker") for q in body["dossier"]["quotes"]}
    assert body["links"]["page"] == f"/dossiers/{body['id']}"
    again = client.get(body["links"]["self"])
    assert again.status_code == 200 and again.json() == body["dossier"]


def test_the_same_input_gives_the_same_dossier_id(client, text):
    first = client.post("/api/analyze", json={"text": text}).json()["id"]
    second = client.post("/api/analyze", json={"text": text}).json()["id"]
    other = client.post("/api/analyze", json={"text": text, "outlet": "other.example"}).json()["id"]
    assert first == second != other


def test_upload_analyses_an_html_file(client, article):
    response = client.post("/api/analyze/upload", data={"kind": "html"},
                           files={"file": ("bridge.html", article("hostile.html").encode(), "text/html")})
    assert response.status_code == 201
    dossier = response.json()["dossier"]
    assert dossier["input_kind"] == "html" and dossier["source"] == "upload:bridge.html"
    assert "opened the new river bridge" in dossier["text"]


@pytest.mark.parametrize("fmt, media_type, marker", [
    ("json", "application/json", '"schema_version"'),
    ("markdown", "text/markdown", "# Harbour Authority"),
    ("html", "text/html", "<!DOCTYPE html>"),
])
def test_downloads_in_each_format(client, text, fmt, media_type, marker):
    key = client.post("/api/analyze", json={"text": text}).json()["id"]
    response = client.get(f"/api/dossiers/{key}/download", params={"format": fmt})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["content-disposition"].startswith("attachment;")
    assert marker in response.text


@pytest.mark.parametrize("path, payload, status, code", [
    ("/api/analyze", {}, 422, "invalid-request"),
    ("/api/analyze", {"text": "   \n "}, 422, "invalid-request"),
    ("/api/analyze", {"text": "x", "fetch_url": "https://example.org/"}, 422, "invalid-request"),
    ("/api/analyze", {"text": "Some text", "published": "last Tuesday"}, 422, "invalid-request"),
    ("/api/analyze", {"text": "Some text", "kind": "pdf"}, 422, "invalid-request"),
    ("/api/analyze", {"text": "Some text", "colour": "red"}, 422, "invalid-request"),
    ("/api/analyze/fetch", {"fetch_url": "https://example.org/"}, 403, "fetch-disabled"),
])
def test_bad_requests_are_json_errors_with_one_sentence(client, path, payload, status, code):
    response = client.post(path, json=payload)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code and error["status"] == status and error["message"]


def test_the_form_takes_exactly_one_input(client):
    response = client.post("/analyze", data={"text": "Some text", "fetch_url": "https://example.org/"})
    assert response.status_code == 422 and response.json()["error"]["code"] == "one-input"
    assert client.post("/analyze", data={"text": " "}).json()["error"]["code"] == "one-input"


def test_unreadable_upload_is_a_bad_input_error(client):
    blob = ("blob.bin", b"\x00\x01\x02" * 400, "application/octet-stream")
    response = client.post("/api/analyze/upload", files={"file": blob})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "bad-input"


def test_unknown_dossier_and_route_are_json_404s(client):
    assert client.get("/api/dossiers/0123456789abcdef0123").json()["error"]["code"] == "not-found"
    response = client.get("/api/nothing-here")
    assert response.status_code == 404 and "error" in response.json()


def test_without_a_corpus_corpus_endpoints_say_how_to_open_one(client):
    response = client.get("/api/search", params={"q": "port"})
    assert response.status_code == 404
    assert "--db" in response.json()["error"]["message"]


def test_search_finds_and_filters_and_paginates(corpus_client):
    hits = corpus_client.get("/api/search", params={"q": "crane"}).json()
    assert hits["total"] == 3
    assert {h["outlet"] for h in hits["hits"]} == {"harbour-news.example", "copycat.example"}
    assert all("⟦" in h["snippet"] for h in hits["hits"])
    dated = corpus_client.get("/api/search", params={"q": "Valdoria", "since": "2024-03-05"}).json()
    assert {h["published"] for h in dated["hits"]} == {"2024-03-05", "2024-03-06"}
    outlet = corpus_client.get("/api/search", params={"outlet": "markets-daily.example"}).json()
    assert [h["title"] for h in outlet["hits"]] == ["Grain Prices Climb as Valdoria Port Stays Shut"]
    everything = corpus_client.get("/api/search").json()
    assert everything["total"] == 4 and everything["offset"] == 0
    beyond = corpus_client.get("/api/search", params={"page": 2}).json()
    assert beyond["hits"] == [] and beyond["offset"] == 20


def test_search_rejects_a_bad_date_with_one_sentence(corpus_client):
    response = corpus_client.get("/api/search", params={"since": "yesterday"})
    assert response.status_code == 422
    assert "since" in response.json()["error"]["message"]


def test_stored_items_and_their_downloads(corpus_client):
    item = corpus_client.get("/api/items/1").json()
    assert item["item_id"] == 1 and item["title"].startswith("Harbour Authority")
    markdown = corpus_client.get("/api/items/1/download", params={"format": "markdown"})
    assert markdown.status_code == 200 and "Harbour Authority" in markdown.text
    assert corpus_client.get("/api/items/999").status_code == 404
    outlets = corpus_client.get("/api/outlets").json()
    assert outlets[0] == {"outlet": "harbour-news.example", "items": 2}


def test_health_names_the_stages(client):
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and "quotes" in health["stages"] and health["corpus"] is None


def test_stories_list_and_one_story_with_its_copy(corpus_client):
    listed = corpus_client.get("/api/stories").json()
    assert [s["n_items"] for s in listed] == [2]  # single-item stories are hidden by default
    assert len(corpus_client.get("/api/stories", params={"min_items": 1}).json()) >= 2
    story = corpus_client.get(f"/api/stories/{listed[0]['story_id']}").json()
    assert [(m["outlet"], m["role"]) for m in story["items"]] == [
        ("harbour-news.example", "claim"), ("copycat.example", "copy")]
    assert [(p["original_id"], p["copy_id"], p["kind"]) for p in story["copies"]] == [(1, 4, "verbatim")]
    assert corpus_client.get("/api/stories/999").status_code == 404


def test_copies_of_an_item(corpus_client):
    pairs = corpus_client.get("/api/copies", params={"item_id": 4}).json()
    assert [(p["original_outlet"], p["copy_outlet"], p["direction"]) for p in pairs] == [
        ("harbour-news.example", "copycat.example", "dated")]
    assert corpus_client.get("/api/copies", params={"item_id": 2}).json() == []


def test_stats_count_labels_by_outlet_and_month(corpus_client):
    stats = corpus_client.get("/api/stats").json()
    assert stats["technique_by_outlet"] == [
        {"technique": "Slogans", "outlet": "markets-daily.example", "items": 1, "spans": 1}]
    assert stats["items_by_month"] == [{"month": "2024-03", "items": 4}]
    filtered = corpus_client.get("/api/stats", params={"outlet": "harbour-news.example"}).json()
    assert filtered["technique_by_outlet"] == [] and filtered["items_by_month"][0]["items"] == 2


def test_item_json_is_exactly_the_stores_dossier(corpus_client, corpus_db):
    from newsforensics.corpus.store import Store

    with Store(corpus_db, read_only=True) as store:
        for item_id in (1, 2, 4):
            response = corpus_client.get(f"/api/items/{item_id}")
            assert response.headers["content-type"] == "application/json"
            assert response.json() == store.item(item_id)
