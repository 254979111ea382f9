"""Synthetic corpora for the corpus benchmarks, generated from the PTC articles.

Each source article becomes an "event" published first by one outlet, then spread with the
perturbations a real corpus has: verbatim copies on other outlets a few days later (with the
copier's boilerplate around them), partial rewrites (sentences dropped, reordered, replaced by
the copier's own), and unrelated items. Past the ~416 PTC articles each further cycle uses
variants of them (most common words replaced, names kept), so larger corpora do not reuse texts. Every item carries its ground truth in fields the ingest
ignores (``truth_event``, ``truth_kind``, ``truth_of``), so benchmarks can score copies and
stories. Written as JSON Lines, streamed: memory does not grow with the corpus size.

    python benchmarks/corpus_generate.py 10000 /tmp/corpus-10k.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PTC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ptc"
OUTLETS = [f"{name}.example" for name in (
    "dailywire", "frontnews", "globalpost", "truthhub", "newsline", "eurowatch", "pressnet", "theinsider",
    "capitalnews", "morningpost", "redstate", "bluewave", "centrist", "oneworld", "localherald", "wirefeed")]
BOILERPLATE = [
    "Subscribe to our newsletter to get the latest stories in your inbox.",
    "Share this article on Facebook and Twitter.",
    "Support independent journalism: donate today.",
    "This article was originally published elsewhere and is republished with permission.",
    "Follow us on Telegram for breaking news.",
]
START = dt.date(2018, 1, 1)
SENTENCE = re.compile(r"(?<=[.!?])\s+")


def articles() -> list[tuple[str, list[str]]]:
    """(title, sentences) of each PTC article (train and dev), read once."""
    found = []
    for folder in ("train-articles", "dev-articles"):
        for path in sorted((PTC / folder).glob("*.txt")):
            lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            if len(lines) < 3:
                continue
            sentences = [s for line in lines[1:] for s in SENTENCE.split(line) if s.strip()]
            found.append((lines[0], sentences))
    if not found:
        sys.exit(f"no PTC articles under {PTC}: this benchmark needs ../shared/data/ptc")
    return found


_LONG_WORD = re.compile(r"\b[^\W\d_]{4,}\b")


def _variant(text: str, cycle: int) -> str:
    """The same article as a new text for another cycle: about 60 % of its longer words replaced
    by cycle-specific pseudo-words, so two cycles share few word 5-grams (Jaccard below 0.1)
    while names, places and numbers mostly stay (a new event of the same kind, not a copy)."""
    def swap(m: re.Match[str]) -> str:
        word = m.group()
        key = zlib.crc32(f"{cycle}:{word}".encode())
        if key % 10 >= 6 or word[0].isupper():
            return word
        return word[:2] + "".join("aeioutnrsl"[(key >> (3 * i)) % 10] for i in range(len(word) - 2))
    return _LONG_WORD.sub(swap, text)


def _with_boilerplate(rng: random.Random, sentences: list[str]) -> str:
    body = " ".join(sentences)
    before = rng.choice(BOILERPLATE) + "\n\n" if rng.random() < 0.3 else ""
    after = "\n\n" + " ".join(rng.sample(BOILERPLATE, 2)) if rng.random() < 0.7 else ""
    return before + body + after


def _rewrite(rng: random.Random, sentences: list[str], donor: list[str]) -> list[str]:
    """Keep about two thirds of the sentences, in a slightly changed order, with some of the
    copier's own (sentences from another article) in between."""
    kept = [s for s in sentences if rng.random() < 0.65] or sentences[:1]
    if len(kept) > 3:
        i = rng.randrange(len(kept) - 1)
        kept[i], kept[i + 1] = kept[i + 1], kept[i]
    for _ in range(max(1, len(kept) // 4)):
        kept.insert(rng.randrange(len(kept) + 1), rng.choice(donor))
    return kept


def generate(n: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """``n`` items: each event's original, then copies and rewrites; events spread over 2 years."""
    rng = random.Random(seed)
    source = articles()
    made = 0
    event = 0
    while made < n:
        title, sentences = source[event % len(source)]
        cycle = event // len(source)
        if cycle:  # past the ~416 articles: a different text, or reuse would make false copies
            title, sentences = _variant(title, cycle), [_variant(s, cycle) for s in sentences]
        day = START + dt.timedelta(days=rng.randrange(730))
        origin = rng.choice(OUTLETS)
        spread = rng.choices([0, 1, 2, 3, 5], weights=[35, 25, 20, 12, 8])[0]
        yield {"id": f"e{event}-0", "outlet": origin, "published": day.isoformat(), "title": title,
               "text": " ".join(sentences), "url": f"https://{origin}/{event}",
               "truth_event": event, "truth_kind": "original", "truth_of": None}
        made += 1
        for k in range(1, spread + 1):
            if made >= n:
                return
            outlet = rng.choice([o for o in OUTLETS if o != origin])
            when = day + dt.timedelta(days=rng.choice([0, 1, 1, 2, 3, 6]))
            if rng.random() < 0.55:
                kind, body = "verbatim", _with_boilerplate(rng, sentences)
            else:
                donor = source[rng.randrange(len(source))][1]
                kind, body = "rewrite", _with_boilerplate(rng, _rewrite(rng, sentences, donor))
            yield {"id": f"e{event}-{k}", "outlet": outlet, "published": when.isoformat(),
                   "title": title if kind == "verbatim" or rng.random() < 0.5 else f"{title} (update)",
                   "text": body, "url": f"https://{outlet}/{event}-{k}",
                   "truth_event": event, "truth_kind": kind, "truth_of": f"e{event}-0"}
            made += 1
        event += 1


def write(n: int, path: Path, seed: int = 7) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for item in generate(n, seed):
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("output", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write(args.n, args.output, args.seed)
    print(f"wrote {args.n} items to {args.output}")


if __name__ == "__main__":
    main()
