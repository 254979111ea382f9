from newsforensics import extract
from newsforensics.sources.fingerprint import FingerprintIndex, extract_features, normalise_line
from newsforensics.sources.identify import identify

FOOTER_PAGE = """Belgian troops seen near Idlib, report says

Share this article
KYIV (Reuters) - Belgian special forces were seen near Idlib on Monday, local sources said.
The report could not be verified independently by anyone at all on the ground.
Photo: Reuters / John Smith
© 2024 SouthFront. All rights reserved.
"""


def _page(body: str, widget: str) -> str:
    return f"Headline about {body}\n\n{widget}\nThe story of {body} goes on at length in its body paragraph.\n"


def test_the_url_wins_and_says_so():
    found = identify(extract(FOOTER_PAGE, url="https://www.rt.com/news/1"))
    assert (found.outlet, found.method, found.confidence) == ("rt.com", "url", 1.0)


def test_a_copyright_footer_names_the_outlet_and_agencies_are_credits():
    found = identify(extract(FOOTER_PAGE))
    assert found.outlet == "southfront.org" and found.method == "fingerprint"
    assert found.evidence[0]["kind"] == "self-mention"
    assert {(c.agency, c.where) for c in found.credits} == {("Reuters", "photo credit"), ("Reuters", "dateline")}


def test_a_learned_widget_line_identifies_other_items_of_the_outlet():
    index = FingerprintIndex()
    for topic in ("bridges", "harbours", "tunnels"):
        doc = extract(_page(topic, f"{len(topic)}% of readers think this story is Fact. Add your two cents."))
        index.add(extract_features(doc)[0], "example-outlet.com")
    other = extract(_page("roads", "Sign the petition to our editor today please"))
    index.add(extract_features(other)[0], "other-outlet.org")
    found = identify(extract(_page("canals", "95% of readers think this story is Fact. Add your two cents.")), index)
    assert found.outlet == "example-outlet.com"
    assert found.evidence[0]["items_of_outlet"] == 3


def test_without_evidence_the_outlet_is_unknown():
    found = identify(extract("Plain headline here today\n\nA body paragraph with nothing to say about who wrote it."))
    assert found.outlet is None and found.method == "unknown"


def test_remove_undoes_add():
    index = FingerprintIndex()
    features = extract_features(extract(_page("x", "Donate to the cause every month")))[0]
    index.add(features, "a.org")
    index.remove(features, "a.org")
    assert index.counts == {} and index.items == 0


def test_lines_compare_across_dates_and_counters():
    assert normalise_line("1,204 readers LIKE this — 2024") == normalise_line("7 readers like this - 2025")


def test_a_copyright_holder_that_spells_a_rated_domain_identifies_it():
    found = identify(extract("A headline for the footer test\n\nSome body text of the story goes here at length.\n"
                             "© 2018 Canada Free Press. All rights reserved.\n"))
    assert found.outlet == "canadafreepress.com"
    assert "spelling the rated domain canadafreepress.com" in found.evidence[0]["where"]


def test_a_name_several_rated_domains_spell_is_not_guessed():
    from newsforensics.sources.profiles import domain_for_name

    assert domain_for_name("Newsmax Media") == "newsmax.com"
    assert domain_for_name("CBS News") is None  # cbsnews.com and look-alikes such as cbsnews.com.co
    assert domain_for_name("BBC News") is None  # no rated "bbc-news" impostor may pass for it
