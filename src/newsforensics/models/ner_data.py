"""NER data for training and evaluation (not used at run time): CoNLL-style ``token<TAB>tag``
files read into PER/ORG/LOC sentences, turned into spaCy training docs, and scored.

Every corpus in ../shared/data/ner-* tags a little differently (``PERS``, ``MISC``, GermEval's
``LOCderiv``/``ORGpart``, lang-uk's ``DATE``/``JOB``…); one mapping keeps the three types that all
of them share, and a stray ``I-`` starts an entity, as seqeval's conlleval mode reads it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import spacy.language
    from spacy.tokens import DocBin

TYPES = {"PER": "PER", "PERS": "PER", "ORG": "ORG", "LOC": "LOC"}


@dataclass
class Sentence:
    tokens: list[str]
    spans: list[tuple[int, int, str]]  # token start, token end (exclusive), PER/ORG/LOC


def tag_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Entity spans of an IOB tag sequence, only PER/ORG/LOC (other types read as O)."""
    spans: list[tuple[int, int, str]] = []
    current: list = []
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        kind = TYPES.get(kind, "") if prefix in ("B", "I") else ""
        if current and (prefix != "I" or kind != current[2]):
            spans.append((current[0], i, current[2]))
            current = []
        if kind and not current:
            current = [i, i + 1, kind]
    return spans


def read_conll(path: Path) -> list[Sentence]:
    """Sentences of a ``token<TAB>tag`` file, blank line between sentences."""
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    for line in [*path.read_text("utf-8").splitlines(), ""]:
        if not line.strip():
            if tokens:
                sentences.append(Sentence(tokens, tag_spans(tags)))
            tokens, tags = [], []
            continue
        token, _, tag = line.rstrip("\n").rpartition("\t")
        tokens.append(token.strip() or "_")
        tags.append(tag.strip())
    return sentences


def sentences_to_docbin(nlp: spacy.language.Language, sentences: Iterable[Sentence]) -> DocBin:
    from spacy.tokens import Doc, DocBin, Span

    docbin = DocBin(attrs=["ENT_IOB", "ENT_TYPE"])
    for s in sentences:
        doc = Doc(nlp.vocab, words=s.tokens)
        doc.set_ents([Span(doc, a, b, label=kind) for a, b, kind in s.spans], default="outside")
        docbin.add(doc)
    return docbin


@dataclass
class Score:
    """Exact-match span precision/recall/F1 (seqeval's default, micro-averaged)."""

    tp: Counter
    predicted: Counter
    gold: Counter

    @staticmethod
    def of(gold: Iterable[set[tuple]], predicted: Iterable[set[tuple]]) -> Score:
        tp, n_pred, n_gold = Counter(), Counter(), Counter()
        for g, p in zip(gold, predicted, strict=True):
            for span in p:
                n_pred[span[-1]] += 1
            for span in g:
                n_gold[span[-1]] += 1
            for span in g & p:
                tp[span[-1]] += 1
        return Score(tp, n_pred, n_gold)

    def f1(self, kind: str | None = None) -> float:
        tp = self.tp[kind] if kind else sum(self.tp.values())
        pred = self.predicted[kind] if kind else sum(self.predicted.values())
        gold = self.gold[kind] if kind else sum(self.gold.values())
        return 2 * tp / (pred + gold) if pred + gold else 0.0

    def precision(self) -> float:
        pred = sum(self.predicted.values())
        return sum(self.tp.values()) / pred if pred else 0.0

    def recall(self) -> float:
        gold = sum(self.gold.values())
        return sum(self.tp.values()) / gold if gold else 0.0


def overlap_f1(gold: Iterable[set[tuple]], predicted: Iterable[set[tuple]]) -> float:
    """Lenient F1: a span counts when it overlaps a span of the same type on the other side.
    Shows how much of the exact-match gap is boundary convention ("журнале «Театр»" vs «Театр»)."""
    hit_pred = n_pred = hit_gold = n_gold = 0
    for g, p in zip(gold, predicted, strict=True):
        def meets(a: tuple, others: set[tuple]) -> bool:
            return any(a[-1] == b[-1] and a[0] < b[1] and b[0] < a[1] for b in others)
        n_pred, n_gold = n_pred + len(p), n_gold + len(g)
        hit_pred += sum(meets(a, g) for a in p)
        hit_gold += sum(meets(a, p) for a in g)
    precision = hit_pred / n_pred if n_pred else 0.0
    recall = hit_gold / n_gold if n_gold else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
