import pytest

from newsforensics import extract
from newsforensics.sources.aliases import canonical_outlet, outlet_alias
from newsforensics.sources.identify import identify, profile_for


@pytest.mark.parametrize(("url", "outlet"), [
    ("https://sputnikglobe.com/20230101/x.html", "sputniknews.com"),   # rebrand
    ("https://fr.sputniknews.africa/x", "sputniknews.com"),             # edition on a new domain
    ("https://russian.rt.com/world/news/1", "rt.com"),                  # sub-domain edition
    ("https://deutsch.rt.com/a", "rt.com"),
    ("https://rtde.tech/a", "rt.com"),                                  # mirror
    ("https://tass.ru/politika/1", "tass.com"),
    ("https://www.nytimes.com/2019/x", "nytimes.com"),                   # not listed: the host
])
def test_every_domain_of_an_outlet_resolves_to_it(url, outlet):
    found = identify(extract("One sentence of body text for the item.", url=url))
    assert found.outlet == outlet
    assert (found.host is None) == (url.split("/")[2].removeprefix("www.") == outlet)


def test_a_resolved_alias_is_shown_as_evidence_with_its_source():
    found = identify(extract("One sentence of body text for the item.", url="https://sputnikglobe.com/a"))
    alias = [e for e in found.evidence if e["kind"] == "alias"]
    assert alias and "Sputnik" in alias[0]["text"] and "Wikipedia" in alias[0]["where"]


@pytest.mark.parametrize("url", ["https://sana.sy/en/?p=1", "https://tass.com/a", "https://news.cgtn.com/a",
                                 "https://www.presstv.ir/Detail/1"])
def test_state_media_are_flagged_with_provenance(url):
    profile = profile_for(identify(extract("One sentence of body text for the item.", url=url))).to_dict()
    state = profile["state_affiliated"]
    assert state["value"] is True
    assert "provenance" in state


def test_a_parent_domain_is_not_matched_by_suffix_alone():
    assert outlet_alias("notrt.com") is None
    assert canonical_outlet("fakesputniknews.com") == "fakesputniknews.com"


def test_southfront_is_identified_from_its_donation_widget_without_a_url():
    page = "Headline of the item\n\nThe body of the item runs for a sentence or two here.\n\nDo you like this content? Consider helping us!\n"
    found = identify(extract(page))
    assert (found.outlet, found.method) == ("southfront.org", "fingerprint")
    assert found.evidence[0]["kind"] == "furniture"
