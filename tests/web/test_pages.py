"""The HTML pages render what their JSON twins hold: dossier, search, stories, story, stats."""

from __future__ import annotations

import re


def test_analyse_form_redirects_to_the_dossier_page(client, article):
    response = client.post("/analyze", data={"text": article("port-closure.txt"), "outlet": "harbour-news.example"},
                           follow_redirects=False)
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    assert 'id="t-quotes"' in page.text and "data-refs=" in page.text
    assert '<svg class="map"' in page.text and "Timeline of dated statements" in page.text
    assert "<h2>Known narratives</h2>" in page.text  # the analyses' report sections (report_sections.toml)
    css = client.get(response.headers["location"] + "/layers.css")
    assert css.headers["content-type"].startswith("text/css") and "#t-places:checked" in css.text
    assert "Marta Ilves" in client.get("/").text or "Harbour Authority" in client.get("/").text  # recent


def test_new_layers_appear_without_code_changes(client, corpus_client):
    page = corpus_client.get("/items/2").text  # carries the fixture's technique span
    assert 'for="t-techniques"' in page and "l-techniques" in page


def test_search_page_marks_matches_and_escapes_them(corpus_client):
    page = corpus_client.get("/search", params={"q": "crane", "since": "", "outlet": ""}).text
    assert "3 items match" in page
    assert re.search(r"<mark>crane</mark>", page, re.IGNORECASE)


def test_story_page_shows_items_by_time_and_the_copy(corpus_client):
    story_id = corpus_client.get("/api/stories").json()[0]["story_id"]
    page = corpus_client.get(f"/stories/{story_id}").text
    assert 'class="chart story-timeline"' in page and "Copy chains" in page and "verbatim" in page
    assert "copycat.example" in corpus_client.get("/stories").text


def test_stats_page_draws_server_side_svg(corpus_client):
    page = corpus_client.get("/stats").text
    assert page.count("<svg") >= 3 and "Slogans" in page and "<script" not in page.split("</head>")[1]


def test_corpus_pages_without_a_corpus_explain_how_to_open_one(client):
    response = client.get("/stats", headers={"Accept": "text/html"})
    assert response.status_code == 404 and "--db" in response.text
