"""SemEval-2020 Task 11 predictions for a folder of articles: SI spans, TC labels, FLC fragments.

The offsets are those of the article files as read (PTC articles hold one sentence per line, so
lines are the segments the model reads, as in training).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence

from ..errors import InputError
from .encoding import line_segments
from .formats import SpanLabel
from .inference import Fragment, TechniqueModel, inference_settings

ARTICLES_PER_BATCH = 8
Advance = Callable[[int], None]


def _noop(_: int) -> None:
    return None


def _batches(ids: Sequence[str], size: int = ARTICLES_PER_BATCH) -> Iterator[list[str]]:
    for first in range(0, len(ids), size):
        yield list(ids[first:first + size])


def fragments(model: TechniqueModel, articles: Mapping[str, str],
              advance: Advance = _noop) -> dict[str, list[Fragment]]:
    """SI + TC fragments of every article, by id; ``advance`` is told how many articles are done."""
    found: dict[str, list[Fragment]] = {}
    for ids in _batches(sorted(articles)):
        batch = [(articles[key], line_segments(articles[key])) for key in ids]
        found.update(zip(ids, model.fragments(batch)))
        advance(len(ids))
    return found


def si_labels(found: Mapping[str, list[Fragment]]) -> list[SpanLabel]:
    """SI lines of fragments (disjoint within each article, as the scorer requires)."""
    return [SpanLabel(key, f.start, f.end) for key, fragments_ in found.items() for f in fragments_]


def flc_labels(found: Mapping[str, list[Fragment]]) -> list[SpanLabel]:
    """FLC lines of fragments: a second technique where it is nearly as probable as the first
    (``second_technique_ratio``)."""
    ratio = float(inference_settings()["second_technique_ratio"])
    return [SpanLabel(key, f.start, f.end, name) for key, fragments_ in found.items()
            for f in fragments_ for name, _ in f.reported(ratio)]


def predict_si(model: TechniqueModel, articles: Mapping[str, str],
               advance: Advance = _noop) -> list[SpanLabel]:
    """Predicted propaganda spans."""
    return si_labels(fragments(model, articles, advance))


def predict_flc(model: TechniqueModel, articles: Mapping[str, str],
                advance: Advance = _noop) -> list[SpanLabel]:
    """Predicted fragments with their technique(s)."""
    return flc_labels(fragments(model, articles, advance))


def predict_tc(model: TechniqueModel, articles: Mapping[str, str], template: Sequence[SpanLabel],
               advance: Advance = _noop) -> list[SpanLabel]:
    """The template with ``?`` replaced, in its order. A span listed k times gets its k most
    probable techniques (PTC marks one fragment with several techniques that way)."""
    missing = sorted({label.article_id for label in template} - set(articles))
    if missing:
        raise InputError(f"the template names {len(missing)} article(s) not in the articles "
                         f"folder, e.g. {missing[0]!r}; pass the folder the template was made for")
    by_article: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for label in template:
        if (label.start, label.end) not in by_article[label.article_id]:
            by_article[label.article_id].append((label.start, label.end))
    ranking: dict[tuple[str, int, int], list[str]] = {}
    for key, spans in by_article.items():
        text = articles[key]
        probabilities = model.classify(text, line_segments(text), spans)
        for (start, end), probs in zip(spans, probabilities):
            ranking[(key, start, end)] = [model.names[k] for k in (-probs).argsort()]
        advance(1)
    used: dict[tuple[str, int, int], int] = defaultdict(int)
    out = []
    for label in template:
        key = (label.article_id, label.start, label.end)
        names = ranking[key]
        out.append(SpanLabel(label.article_id, label.start, label.end,
                             names[min(used[key], len(names) - 1)]))
        used[key] += 1
    return out
