"""Train the paragraph-level technique models on SemEval-2023 Task 3 (subtask 3), CPU, minutes.

Data (research use only, never shipped): ``semeval2023-t3-multilingual/<lang>/`` train and gold
dev for fr, de, it, pl, ru; ``semeval2023-t3-en`` (train only: its articles are PTC train + dev)
for English, whose PTC-dev articles are held out as its dev set. Per language: the n-gram
vocabularies, one liblinear logistic regression per technique, and the threshold that
maximises out-of-fold micro-F1 over article folds of the training data. Dev is never read for
training or tuning; ``dev_scores`` only reports it.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..techniques.lexical import LexicalFeatures
from ..techniques.paragraphs import ParagraphModel, paragraph_techniques

Progress = Callable[[str], None]
MODEL_ID = "newsforensics-technique-paragraphs-ngram"


def paragraph_training_config() -> dict[str, Any]:
    text = resources.files("newsforensics.techniques").joinpath("data/paragraph_training.toml").read_text(
        encoding="utf-8")
    return tomllib.loads(text)


@dataclass(frozen=True)
class Paragraph:
    article_id: str
    line: int
    text: str
    techniques: tuple[str, ...]


def read_paragraphs(articles: Path, labels: Path) -> list[Paragraph]:
    """Label lines (``id<TAB>line<TAB>techniques``) with the text of the article line they name."""
    if not labels.is_file() or not articles.is_dir():
        raise InputError(f"{labels} or {articles} is missing: not a SemEval-2023 Task 3 folder")
    lines: dict[str, list[str]] = {}
    out = []
    for row in labels.read_text(encoding="utf-8").splitlines():
        if not row.strip():
            continue
        key, number, *rest = row.split("\t")
        if key not in lines:
            with open(articles / f"article{key}.txt", encoding="utf-8") as handle:
                lines[key] = handle.read().split("\n")
        names = tuple(t for t in (rest[0] if rest else "").split(",") if t)
        out.append(Paragraph(key, int(number), lines[key][int(number) - 1], names))
    return out


def language_split(language: str, english: Path, multilingual: Path, ptc: Path
                   ) -> tuple[list[Paragraph], list[Paragraph]]:
    """(train, dev) paragraphs of a language."""
    if language == "en":
        dev_ids = {p.stem.removeprefix("article") for p in (ptc / "dev-articles").glob("*.txt")}
        if not dev_ids:
            raise InputError(f"{ptc}/dev-articles is missing: English dev is the PTC dev articles")
        rows = read_paragraphs(english / "train-articles-subtask-3",
                               english / "train-labels-subtask-3.txt")
        return ([r for r in rows if r.article_id not in dev_ids],
                [r for r in rows if r.article_id in dev_ids])
    folder = multilingual / language
    return (read_paragraphs(folder / "train-articles-subtask-3", folder / "train-labels-subtask-3.txt"),
            read_paragraphs(folder / "dev-articles-subtask-3", folder / "dev-labels-subtask-3.txt"))


def targets(rows: Sequence[Paragraph]) -> np.ndarray:
    names = list(paragraph_techniques())
    unknown = {t for r in rows for t in r.techniques} - set(names)
    if unknown:
        raise InputError(f"unknown technique label(s) {sorted(unknown)}")
    return np.array([[n in r.techniques for n in names] for r in rows], dtype=np.int8)


def micro_f1(gold: np.ndarray, predicted: np.ndarray) -> float:
    both = int(gold.sum() + predicted.sum())
    return 2 * int((gold & predicted).sum()) / both if both else 0.0


def _matrix(lexical: LexicalFeatures, texts: Sequence[str]) -> Any:
    from scipy.sparse import csr_matrix

    rows = [lexical.row(t, "") for t in texts]
    return csr_matrix((np.concatenate([v for _, v in rows]), np.concatenate([i for i, _ in rows]),
                       np.cumsum([0] + [len(i) for i, _ in rows])), shape=(len(rows), lexical.size))


def _fit(x: Any, y: np.ndarray, config: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Per-technique logistic regressions: weights ``(features, 23)`` and biases; a technique
    with too few positives gets a bias that never fires."""
    from sklearn.linear_model import LogisticRegression

    weights = np.zeros((x.shape[1], y.shape[1]), dtype=np.float32)
    bias = np.full(y.shape[1], -30.0, dtype=np.float32)
    for k in range(y.shape[1]):
        if y[:, k].sum() >= config["min_positives"]:
            model = LogisticRegression(C=config["classifier_c"], solver="liblinear", max_iter=1000)
            model.fit(x, y[:, k])
            weights[:, k], bias[k] = model.coef_[0], model.intercept_[0]
    return weights, bias


def _probabilities(x: Any, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.clip(x @ weights + bias, -30, 30)))


def fit_language(language: str, train: Sequence[Paragraph], progress: Progress = print
                 ) -> tuple[ParagraphModel, float]:
    """The model of one language and its out-of-fold training micro-F1 at the chosen threshold."""
    config = paragraph_training_config()
    started = time.time()
    texts, y = [r.text for r in train], targets(train)
    lexical = LexicalFeatures.fit(texts, [""] * len(texts), config["lexical"])
    x = _matrix(lexical, texts)
    folds = config["threshold_folds"]
    articles = sorted({r.article_id for r in train})
    fold_of = {key: i % folds for i, key in enumerate(
        np.random.default_rng(config["seed"]).permutation(articles))}
    fold = np.array([fold_of[r.article_id] for r in train])
    out_of_fold = np.zeros(y.shape, dtype=np.float32)
    for k in range(folds):
        weights, bias = _fit(x[fold != k], y[fold != k], config)
        out_of_fold[fold == k] = _probabilities(x[fold == k], weights, bias)
    low, high, step = config["threshold_grid"]
    grid = np.round(np.arange(low, high + step / 2, step), 4)
    scores = {float(t): micro_f1(y, (out_of_fold >= t).astype(np.int8)) for t in grid}
    threshold = max(scores, key=scores.__getitem__)
    weights, bias = _fit(x, y, config)
    progress(f"{language}: {len(train)} paragraphs, {lexical.size} n-grams, threshold {threshold}, "
             f"out-of-fold micro-F1 {scores[threshold]:.3f} ({time.time() - started:.0f}s)")
    return ParagraphModel(language, lexical, weights, bias, threshold), scores[threshold]


def dev_scores(model: ParagraphModel, dev: Sequence[Paragraph]) -> dict[str, float]:
    """Micro-F1 (and P/R) of a model on gold dev paragraphs, as the task's scorer counts."""
    gold = targets(dev)
    predicted = (model.probabilities([r.text for r in dev]) >= model.threshold).astype(np.int8)
    tp = int((gold & predicted).sum())
    return {"micro_f1": round(micro_f1(gold, predicted), 4),
            "precision": round(tp / max(int(predicted.sum()), 1), 4),
            "recall": round(tp / max(int(gold.sum()), 1), 4), "paragraphs": len(dev)}


def train_paragraphs(english: Path, multilingual: Path, ptc: Path, target: Path,
                     languages: Sequence[str] | None = None, progress: Progress = print
                     ) -> dict[str, Any]:
    """Train, score on dev and install every language's model; the card is rewritten after
    each language, so an interrupted run leaves a consistent install."""
    config = paragraph_training_config()
    target.mkdir(parents=True, exist_ok=True)
    card_path = target / "model.json"
    card = json.loads(card_path.read_text(encoding="utf-8")) if card_path.is_file() else {}
    per_language = card.get("languages", {})
    for language in languages or config["languages"]:
        train, dev = language_split(language, english, multilingual, ptc)
        model, out_of_fold = fit_language(language, train, progress)
        model.save(target)
        per_language[language] = {"train_paragraphs": len(train), "threshold": model.threshold,
                                  "threshold_folds": config["threshold_folds"],
                                  "train_out_of_fold_micro_f1": round(out_of_fold, 4),
                                  "dev": dev_scores(model, dev)}
        progress(f"{language}: dev {per_language[language]['dev']}")
        card = write_card(target, per_language)
    return card


def write_card(target: Path, per_language: dict[str, Any]) -> dict[str, Any]:
    """The model card of the installed languages (``model.json``)."""
    config = paragraph_training_config()
    files = sorted(p for p in target.iterdir()
                   if p.suffix in {".npz", ".json"} and p.name != "model.json")
    card = {
        "id": MODEL_ID, "version": dt.date.today().isoformat(),
        "task": "SemEval-2023 Task 3 subtask 3: the persuasion techniques (23) a paragraph uses, "
                "multi-label; one logistic regression per technique over word 1-2-gram and "
                "character 2-5-gram TF-IDF, one model per language",
        "training_data": "SemEval-2023 Task 3 subtask 3 train (fr, de, it, pl, ru train; en train "
                         "without the PTC-dev articles, which are its dev set); the dev gold is "
                         "only scored. The corpus is not redistributed.",
        "training": {**{k: v for k, v in config.items() if k != "languages"}, "device": "cpu"},
        "languages": dict(sorted(per_language.items())),
        "terms": "Research use only: trained on the SemEval-2023 Task 3 data (distributed by its "
                 "organisers for research, no redistribution licence); the weights and derived "
                 "n-gram vocabularies are this project's artefact, no text of the corpus is "
                 "stored. A paragraph's techniques are a lead for an analyst, not a verdict.",
        "size_mb": round(sum(p.stat().st_size for p in files) / 2**20, 1),
    }
    (target / "model.json").write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    return card
