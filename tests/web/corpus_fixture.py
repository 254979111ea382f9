"""The small corpus that the web and browser tests share, built through the real store (with
its copy and story indexes) from our fixture articles.

Four items about one invented event: a report, its verbatim copy on another outlet a day later,
a follow-up and a denial. One item carries a hand-placed technique span so that the statistics
have a label to count whatever stages run by default.
"""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# (file, outlet, published); item ids follow this order
ITEMS = (
    ("port-closure.txt", "harbour-news.example", "2024-03-04"),
    ("grain-prices.txt", "markets-daily.example", "2024-03-05"),
    ("union-denial.txt", "harbour-news.example", "2024-03-06"),
    ("port-closure.txt", "copycat.example", "2024-03-05"),
)
TECHNIQUE = ("grain-prices.txt", "too little, too late", "Slogans")


def build_corpus(path: Path, pipeline) -> Path:  # type: ignore[no-untyped-def]
    from newsforensics import analyze
    from newsforensics.corpus.store import Store

    with Store(path) as store:
        for name, outlet, published in ITEMS:
            doc = analyze((FIXTURES / name).read_text(encoding="utf-8"), pipeline=pipeline, outlet=outlet,
                          published=published, source_name=name)
            doc.layers.pop("techniques", None)  # the model's spans vary by version; count ours
            if name == TECHNIQUE[0]:
                start = doc.text.index(TECHNIQUE[1])
                doc.add("techniques", [doc.span(start, start + len(TECHNIQUE[1]), TECHNIQUE[2],
                                                stage="test-fixture", score=0.9)])
            store.add(doc, source=f"{outlet}/{name}")
    return path
