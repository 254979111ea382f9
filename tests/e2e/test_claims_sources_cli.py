"""The claims and sources commands end to end, over a real SQLite corpus."""

from __future__ import annotations

import json

import pytest

from newsforensics.corpus.store import Store

from fixtures.corroboration import ITEMS, ORIGINAL, build_corpus


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory, pipeline):
    return build_corpus(tmp_path_factory.mktemp("corpus") / "corpus.db", pipeline)


@pytest.mark.slow
def test_ingest_then_claims_through_the_real_commands(cli, tmp_path):
    records = tmp_path / "items.jsonl"
    records.write_text("".join(json.dumps({"text": t, "url": u, "published": p}) + "\n" for t, u, p in ITEMS),
                       encoding="utf-8")
    db = tmp_path / "corpus.db"
    assert cli("ingest", str(records), "--db", str(db), "--profile", "full").exit_code == 0
    data = json.loads(cli("claims", "--db", str(db), "--json").stdout)
    by_status = {}
    for claim in data["claims"]:
        by_status.setdefault(claim["status"], []).append(claim)
    (denied,) = by_status["denied"]
    assert denied["independent_sources"] == 2
    assert {d["denier"] for d in denied["denials"]} >= {"Belgian defence ministry"}
    assert "single-source" in by_status


def test_cli_lists_claims_by_status(cli, corpus_db):
    result = cli("claims", "--db", str(corpus_db), "--status", "single-source", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["total"] >= 1 and {c["status"] for c in data["claims"]} == {"single-source"}
    text = cli("claims", "--db", str(corpus_db), "--status", "denied")
    assert text.exit_code == 0 and "[denied]" in text.stdout
    assert "denied by Belgian defence ministry (brussels-times.example, 2024-03-06, 2 days after" in text.stdout


def test_a_store_without_claims_says_which_profile_makes_them(cli, tmp_path):
    with Store(tmp_path / "light.db") as store:
        store.steps  # noqa: B018  (creates every step's tables, as a light ingest leaves them)
    result = cli("claims", "--db", str(tmp_path / "light.db"))
    assert result.exit_code == 0 and "--profile full" in result.stderr


def test_cli_refuses_a_missing_or_unindexed_store(cli, tmp_path):
    missing = cli("claims", "--db", str(tmp_path / "none.db"))
    assert missing.exit_code == 3 and "does not exist" in missing.stderr
    with Store(tmp_path / "empty.db", steps=[]):
        pass
    empty = cli("claims", "--db", str(tmp_path / "empty.db"))
    assert empty.exit_code == 2 and "no claim index" in empty.stderr


def test_sources_lookup_of_urls_and_domains(cli):
    result = cli("sources", "lookup", "https://www.rt.com/news/1", "nobody-rates-this.example", "--json")
    assert result.exit_code == 0
    rt, unknown = json.loads(result.stdout)
    assert rt["outlet"] == "rt.com" and rt["profile"]["state_affiliated"]["value"] is True
    assert unknown["profile"]["status"] == "unknown" and unknown["profile"]["ratings"] == []
    text = cli("sources", "lookup", "southfront.org")
    assert "Lin et al. 2023 domain quality ratings (pc1): 0.189 on 0…1" in text.stdout


def test_sources_lookup_of_a_file_uses_the_store_fingerprints(cli, corpus_db, tmp_path):
    item = tmp_path / "no-url.txt"
    item.write_text(ORIGINAL.replace("Belgian", "Dutch"), encoding="utf-8")
    without = json.loads(cli("sources", "lookup", str(item), "--json").stdout)
    assert without["outlet"] is None and without["profile"]["status"] == "unknown"
    found = json.loads(cli("sources", "lookup", str(item), "--db", str(corpus_db), "--json").stdout)
    assert found["method"] == "fingerprint"
    assert found["outlet"] == "frontline-dispatch.example"
    assert any("donate to Frontline Dispatch" in e["text"] for e in found["evidence"])


def test_sources_lookup_refuses_what_is_neither_file_nor_address(cli):
    result = cli("sources", "lookup", "not a thing")
    assert result.exit_code == 2 and "neither an existing file nor a URL" in result.stderr


def test_an_items_report_shows_each_claims_corpus_status(cli, corpus_db, tmp_path):
    out = tmp_path / "item1.md"
    result = cli("claims", "--db", str(corpus_db), "--item", "1", "-o", str(out))
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    section = text[text.index("## Claim status"):]
    assert "\\[denied\\]" in section and "2 independent sources" in section
    assert "denied by Belgian defence ministry (brussels-times.example, 2024-03-06" in section
    assert "no corpus consulted" not in section
    data = json.loads(cli("claims", "--db", str(corpus_db), "--item", "1", "-o", str(tmp_path / "i.json"))
                      .stdout or (tmp_path / "i.json").read_text(encoding="utf-8"))
    assert {g["status"] for g in data["corroboration"].values()} >= {"denied"}


def test_an_items_report_needs_an_item_and_a_known_format(cli, corpus_db, tmp_path):
    assert cli("claims", "--db", str(corpus_db), "-o", str(tmp_path / "x.md")).exit_code == 2
    assert cli("claims", "--db", str(corpus_db), "--item", "99", "-o", str(tmp_path / "x.md")).exit_code == 3
    assert cli("claims", "--db", str(corpus_db), "--item", "1", "-o", str(tmp_path / "x.pdf")).exit_code == 2
