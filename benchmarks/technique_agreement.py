"""Does the paragraph-level model, as a second opinion, raise the precision of reported spans?

    .venv/bin/python benchmarks/technique_agreement.py

The evidence behind ``paragraph_agreement`` (``techniques/data/inference.toml``): on the 38
held-out PTC train articles (never dev), the fragments the stage would report without the rule
(operating point, topic gate, unreliable techniques, Repetition; the bare-name rule needs the
parse and is left out), and their span precision (the fragment overlaps an annotated span) and
technique precision (one of the same technique) when the paragraph model must also give the
fragment's paragraph (its line) some technique with at least 0.1 … 0.4 probability. The shipped
English paragraph model was trained on the SemEval-2023 English paragraphs, which include these
articles, so the script refits it without them first (scikit-learn, a few minutes on one core):
on them it is then as new as on any text the stage reads. Reads ../shared/data; exits 0 without.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("NEWSFORENSICS_ONNX_THREADS", "1")

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
AGREEMENT = (0.1, 0.2, 0.3, 0.4)


def main() -> int:
    if not all((SHARED / name).is_dir() for name in ("ptc", "semeval2023-t3-en")):
        print(f"{SHARED} lacks PTC / SemEval-2023 English (research data, not part of the repo); "
              f"nothing to measure")
        return 0
    from newsforensics.techniques.encoding import line_segments
    from newsforensics.techniques.inference import inference_settings, shipped_model
    from newsforensics.techniques.paragraphs import ParagraphScores
    from newsforensics.training.technique_paragraphs import fit_language, language_split
    from newsforensics.training.techniques import _heldout

    articles, _, gold_tc = _heldout(SHARED / "ptc")
    train, _ = language_split("en", SHARED / "semeval2023-t3-en",
                              SHARED / "semeval2023-t3-multilingual", SHARED / "ptc")
    paragraphs, _ = fit_language("en", [r for r in train if r.article_id not in articles])
    model = shipped_model()
    rules = replace(model.reporting_rules, paragraph_agreement=0.0)
    ratio = float(inference_settings()["second_technique_ratio"])
    gold: dict[str, list[tuple[int, int, str]]] = {}
    for label in gold_tc:
        gold.setdefault(label.article_id, []).append((label.start, label.end, label.technique))
    rows = []  # (paragraph support, overlaps a span, overlaps one of the same technique)
    for key in sorted(articles):
        text = articles[key]
        segments = line_segments(text)
        support = ParagraphScores(text, segments, paragraphs).support
        judge = rules.for_text(text)
        for f in model.fragments([(text, segments)])[0]:
            for name, _ in f.reported(ratio):
                if judge.reason(f.start, f.end, f.span_probability, name, lambda: None) is None:
                    near = [t for s, e, t in gold.get(key, ()) if s < f.end and f.start < e]
                    rows.append((support(f.start), bool(near), name in near))
    table = np.array(rows, dtype=float)
    print(f"held-out PTC train articles: {len(articles)}; paragraph model refitted without them "
          f"(threshold {paragraphs.threshold}); shipped agreement "
          f"{inference_settings().get('paragraph_agreement', 0.0)}")
    for threshold in (0.0, *AGREEMENT):
        kept = table[table[:, 0] >= threshold]
        print(f"  paragraph support ≥ {threshold:.1f}: {len(kept):4d} spans "
              f"({len(kept) / len(table):.0%}), span precision {kept[:, 1].mean():.3f}, "
              f"technique precision {kept[:, 2].mean():.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
