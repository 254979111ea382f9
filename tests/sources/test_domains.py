from hypothesis import given
from hypothesis import strategies as st

from newsforensics.sources.domains import lookup_keys, normalise_host


def test_hosts_are_folded_and_prefixes_dropped():
    assert normalise_host("HTTPS://WWW.Reuters.COM:443/world?x=1") == "reuters.com"
    assert normalise_host("m.rt.com") == "rt.com"
    assert normalise_host("www.rt.com") == "rt.com"


def test_sub_domains_fall_back_to_the_registrable_domain():
    assert lookup_keys("http://fr.sputniknews.com/a") == ["fr.sputniknews.com", "sputniknews.com"]
    assert lookup_keys("https://www.bbc.co.uk/news") == ["bbc.co.uk"]


def test_a_blog_never_inherits_its_hosting_platform():
    assert lookup_keys("https://willyloman.wordpress.com/2018/x") == ["willyloman.wordpress.com"]


def test_non_hosts_are_refused():
    for value in ("", None, "not a url", "http://[::1]/", "http://a b.com", "/etc/passwd"):
        assert lookup_keys(value) == []


@given(st.text(max_size=80))
def test_any_text_gives_a_valid_host_or_none(value):
    host = normalise_host(value)
    assert host is None or (host == host.lower() and " " not in host and "." in host)
