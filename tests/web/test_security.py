"""Article text is hostile: escaping, CSP, size and rate limits, token, host and origin checks."""

from __future__ import annotations

import pytest

from newsforensics.errors import ConfigError
from newsforensics.web import WebSettings
from newsforensics.web.security import CSP, RateLimiter

HOSTILE_TEXT = (
    "Council Votes On Budget\n\n"
    'The council voted on Monday. A banner read <script>window.__pwned = "text"</script> and '
    "<img src=x onerror=\"window.__pwned='onerror'\"> in large letters, the mayor said.\n"
)
TOKEN = "a-long-enough-test-token"


def dossier_page(client, text: str, kind: str = "text") -> str:
    key = client.post("/api/analyze", json={"text": text, "kind": kind}).json()["id"]
    return client.get(f"/dossiers/{key}").text


def test_markup_in_article_text_is_escaped_on_the_dossier_page(client):
    page = dossier_page(client, HOSTILE_TEXT)
    assert "window.__pwned" in page  # the text is shown …
    assert "<script>window" not in page and "<img src=x" not in page  # … never as markup
    assert "&lt;script&gt;window.__pwned" in page


def test_html_article_scripts_and_handlers_never_reach_the_page(client, article):
    page = dossier_page(client, article("hostile.html"), kind="html")
    assert "opened the new river bridge" in page
    assert "<img" not in page and "<script>window" not in page  # escaped text at most
    assert 'href="javascript:' not in page


def test_every_response_carries_a_strict_csp_and_nosniff(client):
    for path in ("/", "/api/health", "/static/app.css", "/api/nothing"):
        headers = client.get(path).headers
        assert headers["content-security-policy"] == CSP
        assert headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in CSP and "'unsafe-inline'" not in CSP


def test_downloaded_html_report_is_sandboxed(client):
    key = client.post("/api/analyze", json={"text": HOSTILE_TEXT, "kind": "text"}).json()["id"]
    response = client.get(f"/api/dossiers/{key}/download", params={"format": "html"})
    assert "sandbox" in response.headers["content-security-policy"]
    assert "<script>window" not in response.text


def test_oversized_bodies_are_refused_with_a_json_413(make_client):
    client = make_client(limits={"max_body_bytes": 1000})
    declared = client.post("/api/analyze", json={"text": "x" * 5000})
    assert declared.status_code == 413 and declared.json()["error"]["code"] == "too-large"

    def chunks():  # no Content-Length: the limit applies while the body streams in
        for _ in range(10):
            yield b"y" * 500

    streamed = client.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413


def test_analyses_are_rate_limited_per_client(make_client):
    client = make_client(limits={"analyse_burst": 2, "analyse_per_minute": 1})
    codes = [client.post("/api/analyze", json={"text": f"Item {i} says hello."}).status_code for i in range(3)]
    assert codes[:2] == [201, 201] and codes[2] == 429
    refused = client.post("/api/analyze", json={"text": "One more."})
    assert int(refused.headers["retry-after"]) >= 1
    assert client.get("/api/health").status_code == 200  # reads are not limited


def test_token_bucket_refills_over_time():
    now = [0.0]
    limiter = RateLimiter(per_minute=60, burst=1, clock=lambda: now[0])
    assert limiter.allow("a") == 0 and limiter.allow("a") > 0
    assert limiter.allow("b") == 0  # per client
    now[0] = 1.0
    assert limiter.allow("a") == 0


def test_token_bucket_forgets_idle_clients(monkeypatch):
    now = [0.0]
    limiter = RateLimiter(per_minute=60, burst=1, clock=lambda: now[0])
    monkeypatch.setattr(RateLimiter, "MAX_CLIENTS", 3)
    for client in "abcd":
        limiter.allow(client)
    now[0] = 5.0  # every bucket has refilled
    limiter.allow("e")
    assert set(limiter._buckets) == {"e"}


def test_a_token_is_required_on_every_request_when_set(make_client):
    client = make_client(token=TOKEN)
    refused = client.get("/api/health")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "token-required"
    assert client.get("/static/app.css").status_code == 401
    assert client.get("/api/health", headers={"Authorization": "Bearer wrong-token-wrong-token"}).status_code == 401
    assert client.get("/api/health", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_a_token_in_the_url_becomes_a_cookie(make_client):
    client = make_client(token=TOKEN)
    first = client.get("/", params={"token": TOKEN})
    assert first.status_code == 200 and "httponly" in first.headers["set-cookie"].lower()
    assert client.get("/api/health").status_code == 200  # the cookie carries it from now on


def test_binding_beyond_loopback_needs_a_long_token():
    with pytest.raises(ConfigError, match="--token"):
        WebSettings(host="0.0.0.0")
    with pytest.raises(ConfigError, match="16 characters"):
        WebSettings(host="0.0.0.0", token="short")
    assert WebSettings(host="0.0.0.0", token=TOKEN).allowed_hosts is None
    assert WebSettings(host="::1").loopback


def test_on_loopback_foreign_host_headers_are_refused(make_client):
    client = make_client(base_url="http://attacker.example")
    response = client.get("/api/health")
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad-host"
    assert make_client(base_url="http://localhost:8000").get("/api/health").status_code == 200


def test_cross_origin_posts_are_refused(client):
    response = client.post("/api/analyze", json={"text": "Hello."}, headers={"Origin": "http://evil.example"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "cross-origin"
    same = client.post("/api/analyze", json={"text": "Hello there."}, headers={"Origin": "http://127.0.0.1"})
    assert same.status_code == 201


def test_html_pages_show_errors_as_html(client):
    response = client.get("/dossiers/00000000000000000000", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "analyse the item again" in response.text
