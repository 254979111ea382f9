"""Web tests drive the real app: TestClient over the ASGI app (the session pipeline is shared,
so models load once), and one small corpus store built once per session from our fixtures."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsforensics.web import Limits, WebSettings, create_app

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASE_URL = "http://127.0.0.1"


def load_corpus_fixture():  # type: ignore[no-untyped-def]
    """tests/web/corpus_fixture.py, loaded by path (the test folders are not packages)."""
    spec = importlib.util.spec_from_file_location("web_corpus_fixture", Path(__file__).parent / "corpus_fixture.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def article() -> Callable[[str], str]:
    """The text of one of our fixture articles, by file name."""
    return fixture_text


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory, pipeline) -> Path:
    """A real corpus store of four analysed items (see corpus_fixture.ITEMS)."""
    return load_corpus_fixture().build_corpus(tmp_path_factory.mktemp("corpus") / "corpus.db", pipeline)


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
