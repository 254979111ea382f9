"""The workbench under hostile input: user errors are 4xx with one sentence, never a 500."""

from __future__ import annotations

import pytest

from newsforensics.web import fetch

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


def test_a_story_pages_its_items_and_keeps_the_whole_story_summary(make_client, corpus_db):
    whole = make_client(db=corpus_db).get("/api/stories").json()[0]
    full = make_client(db=corpus_db).get(f"/api/stories/{whole['story_id']}").json()
    assert full["n_items"] >= 2 and len(full["items"]) == full["n_items"]
    paged = make_client(db=corpus_db, limits={"story_page_size": 1})
    pages = [paged.get(f"/api/stories/{whole['story_id']}", params={"page": n}).json()
             for n in range(1, full["n_items"] + 1)]
    assert [p["items"][0] for p in pages] == full["items"]  # same order, same roles
    assert {(p["n_items"], p["first_published"], p["title"]) for p in pages} == {
        (full["n_items"], full["first_published"], full["title"])}
    assert pages[0]["items_page"] == {"page": 1, "size": 1, "pages": full["n_items"]}
    html = paged.get(f"/stories/{whole['story_id']}", params={"page": 2}).text
    assert 'rel="prev" href="?page=1"' in html


def test_a_story_page_is_built_once_and_again_when_the_store_changes(make_client, corpus_db, tmp_path, pipeline,
                                                                    article):
    """Story pages are kept built (their queries cost 10 ms on a big story); an ingest that
    commits while the server runs must still show at once."""
    import shutil

    from newsforensics import analyze
    from newsforensics.corpus.store import Store

    db = tmp_path / "corpus.db"
    shutil.copy(corpus_db, db)
    client = make_client(db=db)
    story_id = client.get("/api/stories").json()[0]["story_id"]
    before = client.get(f"/api/stories/{story_id}")
    corpus = client.app.state.workbench.corpus
    assert corpus.cached(("story.json", story_id, 1)) == before.content
    assert client.get(f"/api/stories/{story_id}").content == before.content
    copy = analyze(article("port-closure.txt"), pipeline=pipeline, outlet="mirror.example",
                   published="2024-03-07", source_name="mirror")
    with Store(db) as store:  # another process's ingest, as far as the server can tell
        store.add(copy, source="mirror.example/port-closure.txt")
    after = client.get(f"/api/stories/{story_id}").json()
    assert after["n_items"] == before.json()["n_items"] + 1
    assert "mirror.example" in after["outlets"]
    assert "mirror.example" in client.get(f"/stories/{story_id}").text  # the HTML page too


def test_health_answers_while_40_slow_fetches_run(make_client):
    import threading
    import time

    client = make_client(allow_fetch=True, limits={"analyse_burst": 100, "analyse_per_minute": 6000})
    release = threading.Event()

    def slow_fetch(url, **limits):  # a server trickling bytes until its deadline
        release.wait(20)
        raise fetch.FetchRefused(f"fetching {url} took longer than 10 s")

    client.app.state.fetcher = slow_fetch
    answers: list[int] = []
    fetches = [threading.Thread(target=lambda: answers.append(client.post(
        "/api/analyze/fetch", json={"fetch_url": "https://example.org/slow"}).status_code)) for _ in range(40)]
    for thread in fetches:
        thread.start()
    try:
        time.sleep(0.5)
        started = time.monotonic()
        assert client.get("/api/health").status_code == 200
        assert client.get("/api/schema").status_code == 200  # a plain (threadpool) route too
        assert time.monotonic() - started < 1.0
    finally:
        release.set()
        for thread in fetches:
            thread.join(30)
    assert sorted(answers) == [422] * 8 + [503] * 32  # 4 fetch threads, 4 waiting, the rest refused


def test_a_text_over_the_web_limit_is_413_with_one_sentence(make_client):
    client = make_client(limits={"analyse_max_chars": 1000})
    response = client.post("/api/analyze", json={"text": "The mayor said the bridge reopens. " * 100})
    assert response.status_code == 413
    assert "newsforensics analyze" in response.json()["error"]["message"]


def test_an_analysis_past_its_time_budget_is_503_and_the_queued_one_is_dropped(make_client):
    import threading
    import time

    client = make_client(limits={"analyse_seconds": 0.5})
    bench = client.app.state.workbench
    started: list[str] = []

    def slow(raw, hints):  # an analysis that takes 1.5 s
        started.append(raw)
        time.sleep(1.5)
        return "key", {}

    bench._analyse_now = slow
    answers: list[int] = []
    first = threading.Thread(target=lambda: answers.append(client.post("/api/analyze", json={"text": "one"}).status_code))
    first.start()
    time.sleep(0.1)
    second = client.post("/api/analyze", json={"text": "two"})
    first.join()
    assert answers == [503] and second.status_code == 503
    assert second.json()["error"]["code"] == "analysis-timeout" and second.headers["retry-after"]
    time.sleep(1.6)
    assert started == ["one"]  # the queued analysis never ran


def test_a_server_bound_to_another_loopback_address_accepts_its_own_host(make_client):
    client = make_client(host="127.0.0.2", base_url="http://127.0.0.2:8000")
    assert client.get("/api/health").status_code == 200
    assert client.get("/api/health", headers={"host": "evil.example"}).status_code == 400
