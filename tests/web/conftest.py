"""Web tests drive the real app: TestClient over the ASGI app (the session pipeline is shared,
so models load once), and one small corpus store built once per session from our fixtures."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsforensics.web import Limits, WebSettings, create_app

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASE_URL = "http://127.0.0.1"
# (file, outlet, published, language hint) of the items in the session corpus
CORPUS_ITEMS = (
    ("port-closure.txt", "harbour-news.example", "2024-03-04", None),
    ("grain-prices.txt", "markets-daily.example", "2024-03-05", None),
    ("union-denial.txt", "harbour-news.example", "2024-03-06", None),
)


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def article() -> Callable[[str], str]:
    """The text of one of our fixture articles, by file name."""
    return fixture_text


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory, pipeline) -> Path:
    """A real corpus store of three analysed items (item ids 1, 2, 3 in CORPUS_ITEMS order)."""
    from newsforensics import analyze
    from newsforensics.corpus.store import Store

    path = tmp_path_factory.mktemp("corpus") / "corpus.db"
    with Store(path) as store:
        for name, outlet, published, language in CORPUS_ITEMS:
            doc = analyze(fixture_text(name), pipeline=pipeline, outlet=outlet, published=published,
                          language=language, source_name=name)
            store.add(doc, source=name)
    return path


@pytest.fixture
def make_client(pipeline) -> Iterator[Callable[..., TestClient]]:
    """A TestClient factory: ``make_client(db=..., token=..., limits={...})``; closed after the test."""
    clients: list[TestClient] = []

    def make(*, limits: dict[str, Any] | None = None, base_url: str = BASE_URL, **settings: Any) -> TestClient:
        settings.setdefault("warm_up", False)
        app = create_app(WebSettings(limits=Limits.from_file(**(limits or {})), **settings), pipeline=pipeline)
        client = TestClient(app, base_url=base_url)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client) -> TestClient:
    return make_client()


@pytest.fixture
def corpus_client(make_client, corpus_db: Path) -> TestClient:
    return make_client(db=corpus_db)
