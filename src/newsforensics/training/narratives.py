"""Calibrate the narrative matcher on the labelled sentences of ``narratives/data/calibration.toml``.

    python -m newsforensics.training.narratives

Each sentence goes through the real extraction stages (language, sentences, entities, places),
so the features are computed as in a dossier; every (sentence, narrative) pair is one example,
positive when the sentence carries that narrative. The logistic fit is written to
``data/matcher.json`` with a card: what it was fit on, when, and its in-sample figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tomllib
from importlib import resources
from pathlib import Path

import numpy as np

from ..document import Document
from ..factchecks.rerank import LogisticModel, logistic_fit
from ..models import multilingual
from ..pipeline import Pipeline
from ..narratives.catalogue import load_catalogue
from ..narratives.matcher import FEATURES, MODEL_FILE, NarrativeMatcher

EXTRACTION = ("language", "segment", "entities", "places")


def calibration_features(matcher: NarrativeMatcher) -> tuple[np.ndarray, np.ndarray]:
    """Features of every (calibration sentence, narrative) pair and its 0/1 label."""
    raw = tomllib.loads(resources.files("newsforensics.narratives").joinpath("data/calibration.toml").read_text("utf-8"))
    rows = raw["sentences"]
    docs = list(Pipeline(EXTRACTION).pipe(Document(r["text"]) for r in rows))
    places = [{(p.attrs.get("geonameid"), p.attrs.get("country") or "") for p in d.get("places")} for d in docs]
    matrix, _, _, _ = matcher.features([r["text"] for r in rows], [d.meta.language for d in docs], places)
    ids = [n.id for n in matcher.narratives]
    unknown = {r["narrative"] for r in rows if r["narrative"] and r["narrative"] not in ids}
    if unknown:
        raise ValueError(f"calibration sentences name narratives not in the catalogue: {sorted(unknown)}")
    labels = np.array([[float(r["narrative"] == narrative) for narrative in ids] for r in rows])
    return matrix.reshape(-1, len(FEATURES)), labels.reshape(-1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--l2", type=float, default=5.0)
    parser.add_argument("-o", "--output", type=Path,
                        default=Path(str(resources.files("newsforensics.narratives").joinpath(MODEL_FILE))))
    args = parser.parse_args(argv)
    catalogue = load_catalogue(include_user=False)
    blank = LogisticModel(FEATURES, np.zeros(len(FEATURES)), np.ones(len(FEATURES)),
                          np.zeros(len(FEATURES)), 0.0)
    matcher = NarrativeMatcher(catalogue, model=blank)
    matrix, labels = calibration_features(matcher)
    mean, scale, coef, intercept = logistic_fit(matrix, labels, l2=args.l2)
    model = LogisticModel(FEATURES, mean, scale, coef, intercept)
    p = model.predict(matrix)
    predicted = p >= matcher.min_probability
    tp = int((predicted & (labels == 1)).sum())
    card = {"fit_on": "data/calibration.toml (sentences written for newsforensics)",
            "catalogue": catalogue.version, "encoder": multilingual.MODEL_ID, "fit": dt.date.today().isoformat(),
            "pairs": int(len(labels)), "positives": int(labels.sum()), "l2": args.l2,
            "in_sample": {"brier": round(float(((p - labels) ** 2).mean()), 4),
                          "precision": round(tp / max(1, int(predicted.sum())), 3),
                          "recall": round(tp / max(1, int(labels.sum())), 3)}}
    out = LogisticModel(FEATURES, mean, scale, coef, intercept, card)
    args.output.write_text(json.dumps(out.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(card["in_sample"]), "coef", dict(zip(FEATURES, np.round(coef, 3).tolist(), strict=True)))
    positive = matrix[labels == 1][:, :2].max(axis=1)
    print("cosine of positives to their narrative's closest example: percentiles 50/90/99/100",
          np.round(np.percentile(positive, [50, 90, 99, 100]), 3).tolist(), "(reachable_cosine in data/matcher.toml)")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
