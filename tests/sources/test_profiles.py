from newsforensics.sources.profiles import datasets, lookup_profile


def test_a_listed_domain_shows_each_dataset_with_provenance():
    profile = lookup_profile("https://southfront.org/some-article/")
    data = profile.to_dict()
    assert data["status"] == "known"
    lin = next(r for r in data["ratings"] if r["dataset"] == "lin2023")
    assert lin["value"] == 0.189 and lin["scale"] == [0.0, 1.0]
    assert "PNAS Nexus" in lin["provenance"]["citation"]


def test_state_affiliation_only_where_a_dataset_says_so():
    rt = lookup_profile("www.rt.com").to_dict()
    assert rt["state_affiliated"]["value"] is True
    assert "OpenSources" in rt["state_affiliated"]["provenance"]["dataset"]
    assert lookup_profile("reuters.com").to_dict()["state_affiliated"] is None


def test_an_unlisted_domain_is_unknown_not_guessed():
    data = lookup_profile("nobody-rates-this.example").to_dict()
    assert data == {"domain": "nobody-rates-this.example", "matched": None, "status": "unknown",
                    "ratings": [], "state_affiliated": None}
    assert lookup_profile(None).to_dict()["status"] == "unknown"


def test_every_dataset_names_its_licence_and_citation():
    for d in datasets().values():
        assert d.licence and d.citation and d.url
