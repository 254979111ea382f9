"""Browser tests: the real app under uvicorn on 127.0.0.1 and a free port, driven by Playwright
in Debian's headless Chromium (``/usr/bin/chromium``; never a downloaded browser). They skip,
saying why, when Chromium or Playwright is missing. Screenshots go to ``test-artifacts/``."""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
WEB_TESTS = REPO / "tests" / "web"
CHROMIUM = os.environ.get("NEWSFORENSICS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _chromium() -> str:
    found = CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")
    if not found:
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian package 'chromium'; ./scripts/test installs it as root)")
    return found


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, pipeline) -> Iterator[str]:
    """The workbench with the web tests' corpus, served by uvicorn in a thread; stopped after."""
    import uvicorn

    from newsforensics.web import WebSettings, create_app

    spec = importlib.util.spec_from_file_location("web_corpus_fixture", WEB_TESTS / "corpus_fixture.py")
    corpus_fixture = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(corpus_fixture)  # type: ignore[union-attr]
    db = corpus_fixture.build_corpus(tmp_path_factory.mktemp("browser-corpus") / "corpus.db", pipeline)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(WebSettings(port=port, db=db, warm_up=False), pipeline=pipeline)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the workbench server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    """A fresh page that records script errors, dialogs and CSP violations."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(90_000)  # an analysis on a busy 2-core machine can take many seconds
    page = context.new_page()
    # Record CSP violations: markup from an article that reached the page as markup would raise one.
    page.add_init_script("window.__violations = []; document.addEventListener("
                         "'securitypolicyviolation', e => window.__violations.push(e.violatedDirective));")
    page.errors, page.dialogs = [], []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def screenshot(page, name: str, **options) -> Path:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), **options)
    return path


@pytest.fixture
def shoot():  # type: ignore[no-untyped-def]
    return screenshot
