"""End to end in headless Chromium: analyse an article, toggle a layer, inspect a span, search
the corpus, open an item and a story, the statistics; and hostile article markup never runs."""

from __future__ import annotations

import re
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "web" / "fixtures"
ARTICLE = (FIXTURES / "port-closure.txt").read_text(encoding="utf-8")


def analyse(page, base: str, text: str, kind: str = "auto") -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/")
    page.fill("#text", text)
    if kind != "auto":
        page.click("summary")
        page.select_option("select[name=kind]", kind)
    page.click("#analyse-button")
    page.wait_for_url(re.compile(r"/dossiers/[0-9a-f]{20}$"))


def test_analyse_toggle_a_layer_and_inspect_a_span(page, live_server, shoot):
    page.goto(live_server + "/")
    shoot(page, "analyse")
    analyse(page, live_server, ARTICLE)
    assert page.locator("h1").inner_text().startswith("Harbour Authority Closes Port")
    place = page.locator("#article span.l-places").first
    assert "solid" in place.evaluate("el => getComputedStyle(el).borderBottomStyle")
    page.click("label[for=t-places]")  # hide the places layer
    assert place.evaluate("el => getComputedStyle(el).borderBottomStyle") == "none"
    page.click("label[for=t-places]")  # and show it again
    assert "solid" in place.evaluate("el => getComputedStyle(el).borderBottomStyle")
    page.locator("#article span[data-refs*='quotes:']").first.click()
    card = page.locator("#details .span-card").filter(has_text="quotes")
    card.first.wait_for()
    assert "speaker" in card.first.inner_text()
    assert page.locator("svg.map circle.place").count() >= 1
    shoot(page, "dossier")
    page.locator("#map").scroll_into_view_if_needed()
    shoot(page, "dossier-map-timeline")
    assert page.errors == [] and page.dialogs == []


def test_search_the_corpus_and_open_an_item(page, live_server, shoot):
    page.goto(live_server + "/search")
    page.fill("input[name=q]", "crane")
    page.click("form.search button")
    page.wait_for_url(re.compile(r"/search\?q=crane"))
    assert page.locator("li.hit").count() == 3
    assert page.locator("li.hit mark").first.inner_text().lower() == "crane"
    shoot(page, "search")
    page.select_option("select[name=outlet]", "markets-daily.example")
    page.fill("input[name=q]", "")
    page.click("form.search button")
    page.wait_for_selector("#result-count")
    assert page.locator("li.hit").count() == 1
    page.locator("a.hit-title").first.click()
    page.wait_for_url(re.compile(r"/items/\d+$"))
    assert page.locator("h1").inner_text() == "Grain Prices Climb as Valdoria Port Stays Shut"
    assert page.errors == [] and page.dialogs == []


def test_open_a_story_and_the_statistics(page, live_server, shoot):
    page.goto(live_server + "/stories")
    page.locator("table.stories a").first.click()
    page.wait_for_url(re.compile(r"/stories/\d+$"))
    assert page.locator("#story-items tr").count() == 3  # header + original + copy
    assert page.locator("svg.story-timeline circle").count() == 2
    shoot(page, "story")
    page.locator("svg.story-timeline a").first.click()
    page.wait_for_url(re.compile(r"/items/\d+$"))
    page.goto(live_server + "/stats")
    assert page.locator("svg.heatmap").count() >= 1
    shoot(page, "stats", full_page=True)
    assert page.errors == [] and page.dialogs == []


HOSTILE = (
    "Council Votes On Budget\n\n"
    "The council voted on Monday. A banner read <script>window.__pwned = 'text-script'; alert('script')</script> "
    "and another <img src=x onerror=\"window.__pwned = 'text-onerror'; alert('onerror')\"> in red letters.\n\n"
    "\"We will not be intimidated,\" the mayor said <svg onload=\"alert('svg')\"></svg> on Tuesday.\n"
)


def test_scripts_and_event_handlers_in_an_article_never_execute(page, live_server, shoot):
    analyse(page, live_server, HOSTILE, kind="text")
    assert "window.__pwned" in page.locator("#article").inner_text()  # shown as text
    page.locator("#article span[data-refs]").first.click()
    page.locator("#details .span-card").first.wait_for()
    analyse(page, live_server, (FIXTURES / "hostile.html").read_text(encoding="utf-8"), kind="html")
    page.locator("#removed").scroll_into_view_if_needed()
    page.wait_for_timeout(300)  # give any injected handler a chance to fire
    assert page.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => window.__violations") == []  # not even blocked attempts: all escaped
    assert page.dialogs == [] and page.errors == []
    assert page.locator("#article img, #article script, #removed img, #removed script").count() == 0
    page.locator("#text").scroll_into_view_if_needed()
    shoot(page, "hostile-article")
