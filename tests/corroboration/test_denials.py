import pytest

from newsforensics import extract
from newsforensics.corroboration.denials import claim_statuses

DENIAL_ARTICLE = """Belgium denies its troops are in Idlib

Several outlets reported on Monday that 200 Belgian special forces soldiers had entered Idlib province.
The Belgian defence ministry denied that any Belgian soldiers were in Syria.
Defence Minister Ludivine Dedonder rejected the claims on Tuesday, calling the reports false.
Russian officials did not deny the reports.
"""


@pytest.fixture(scope="module")
def denied(pipeline):
    return pipeline(extract(DENIAL_ARTICLE, published="2024-03-05"))


def test_denials_name_the_denier_and_the_denied_proposition(denied):
    by_denier = {d.attrs["denier"]: d for d in denied.get("denials")}
    assert by_denier["Belgian defence ministry"].attrs["content"] == "any Belgian soldiers were in Syria"
    assert by_denier["Belgium"].attrs["content"] == "its troops are in Idlib"
    assert "Ludivine Dedonder" in by_denier


def test_a_negated_cue_is_not_a_denial(denied):
    assert not any("Russian officials" in d.text for d in denied.get("denials"))


def test_a_reference_denial_targets_the_earlier_report(denied):
    statuses = {s["text"]: s for s in claim_statuses(denied)}
    report = next(s for t, s in statuses.items() if "200 Belgian special forces" in t)
    assert report["status"] == "denied"
    assert [d["denier"] for d in report["denied_by"]] == ["Ludivine Dedonder"]
    assert report["denied_by"][0]["published"] == "2024-03-05"


@pytest.mark.parametrize(("language", "text", "cue"), [
    ("fr", "Le ministère belge de la Défense a démenti les informations sur des soldats à Idlib.", "démenti"),
    ("de", "Das belgische Verteidigungsministerium dementierte die Berichte über Soldaten in Idlib.", "dementierte"),
    ("ru", "Минобороны Бельгии опровергло сообщения о военных в Идлибе.", "опровергло"),
    ("es", "El ministerio belga desmintió la presencia de soldados en Idlib.", "desmintió"),
    ("it", "Il ministero belga ha smentito la presenza di soldati a Idlib.", "smentito"),
    ("uk", "Міноборони Бельгії спростувало повідомлення про військових в Ідлібі.", "спростувало"),
    ("ar", "ونفت وزارة الدفاع البلجيكية وجود جنود في إدلب.", "ونفت"),
])
def test_cues_in_other_languages(pipeline, language, text, cue):
    doc = pipeline(extract(text, language=language))
    denials = doc.get("denials")
    assert [d.attrs["cue"] for d in denials] == [cue]
    assert denials[0].attrs["denier"] and "Idlib" not in denials[0].attrs["denier"]


def test_negation_in_other_languages(pipeline):
    doc = pipeline(extract("Moscou n'a pas démenti ces informations sur Idlib.", language="fr"))
    assert doc.get("denials") == []


def test_negation_in_arabic(pipeline):
    doc = pipeline(extract("لم تنفي الوزارة وجود جنود في إدلب.", language="ar"))
    assert doc.get("denials") == []


def test_a_language_without_denial_cues_is_said_to_be_uncovered(pipeline):
    doc = pipeline(extract("Het Belgische ministerie ontkende de berichten over Idlib.", language="nl"))
    assert "denials" not in doc.layers
    assert any(w.code == "language-not-covered" and w.stage == "denials" for w in doc.warnings)


def test_a_standalone_dossier_shows_the_articles_own_denials_in_every_report(denied):
    from newsforensics import report
    from newsforensics.serialize import to_dict

    dossier = to_dict(denied)
    assert {s["status"] for s in dossier["claim_status"]} >= {"denied", "is-denial"}
    for fmt in ("markdown", "html", "summary"):
        text = report.render(dossier, fmt)
        assert "Claim status" in text and "denied in this article" in text
        assert "no corpus consulted" in " ".join(text.split())


@pytest.mark.parametrize("text", [
    "That being said, there’s no denying that the landscape will change this year.",
    "President Trump recently handed out the 2017 \"Fake News Awards\" to eleven outlets.",
    "The minister did not deny that the talks had stalled in Brussels.",
])
def test_idioms_topics_and_negated_denials_are_not_denials(pipeline, text):
    assert pipeline(extract(text)).get("denials") == []


@pytest.mark.parametrize("text", [
    "Random physical variations occur as this type of hardware is fabricated in the plant.",
    "As the liquid used in the fabrication process evaporates, the wire bends.",
    "Russia has been accused of the unlawful denial of observation flights near the border.",
])
def test_technical_senses_are_not_refutations(pipeline, text):
    assert pipeline(extract(text)).get("denials") == []


def test_a_refutation_without_a_named_actor_is_the_outlets(pipeline):
    doc = pipeline(extract("However, the claim that the vaccine alters DNA is false.", outlet="example.org"))
    (refutation,) = doc.get("denials")
    assert refutation.label == "refutation" and refutation.attrs["denier"] == "example.org"


@pytest.mark.parametrize("text", [
    "I don't think anybody would deny that they are in a new Cold War.",
    "But it is difficult to deny that one of the cornerstones of monetary policy has suffered a blow.",
    "When federal agencies start projects the public may reject, they cite research studies.",
])
def test_hypothetical_denials_are_not_denials(pipeline, text):
    assert pipeline(extract(text)).get("denials") == []


def _the_denial(pipeline, text: str, fragment: str):
    doc = pipeline(extract(text, url="https://example.org/a"))
    [denial] = [d for d in doc.get("denials") if fragment in d.text]
    return denial


def test_a_pronoun_denying_the_allegations_is_the_accused_not_the_official_quoted_last(pipeline):
    denial = _the_denial(pipeline, (
        "Julian Assange faces extradition\n\n"
        "WikiLeaks founder Julian Assange was arrested in London, police said. Interior Minister "
        "Sajid Javid said the arrest was lawful. He has always denied the allegations.\n"), "always denied")
    assert denial.attrs["denier"] == "Julian Assange"


def test_no_evidence_for_its_claims_is_the_outlets_refutation_not_a_quoted_denial(pipeline):
    denial = _the_denial(pipeline, (
        "Claims about Idlib\n\n"
        "Sputnik claimed that French officers were in Idlib, a ministry spokesman said. "
        "Sputnik provides no evidence for its claims.\n"), "no evidence")
    assert (denial.label, denial.attrs["denier_source"]) == ("refutation", "outlet")
