"""Named-entity taggers for the languages other than English, loaded lazily, once per process.

Which model serves which language is data (``data/ner/models.toml``): natasha's news NER for
Russian (MIT, weights inside the wheel), Explosion's fr_core_news_md for French, and small spaCy
pipelines trained here by ``scripts/train_ner.py`` for the rest (``data/ner/<lang>/``, each with
a model card). Every tagger returns character spans with the entities layer's labels, so the
entities stage treats all languages alike. Long texts are tagged in pieces (``pieces``), like the
English parse, so memory stays bounded.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from .ner_convention import Convention
from .spacy_model import import_spacy, pieces

DATA = "data/ner"
EXCLUDE = ["parser", "lemmatizer", "morphologizer", "attribute_ruler", "tagger", "senter"]

Entity = tuple[int, int, str]  # start, end (characters), entities-layer label


@dataclass(frozen=True)
class NerTagger:
    """Tags batches of texts; ``source`` names the backend (a span's ``source`` attribute)."""

    language: str
    model: str
    source: str
    _tag: Callable[[list[str]], list[list[tuple[int, int, str]]]]
    _labels: dict[str, str]

    _convention: Convention | None = None

    def __call__(self, texts: list[str]) -> list[list[Entity]]:
        """Entities of each text, in text order, with labels mapped (unmapped ones dropped)."""
        return [[(s, e, self._labels[label]) for s, e, label in spans if label in self._labels]
                for spans in self.spans(texts)]

    def spans(self, texts: list[str], reshape: bool = True) -> list[list[Entity]]:
        """The model's own spans and labels, reshaped by the language's span convention unless
        ``reshape`` is false."""
        cut = [(i, offset, piece) for i, text in enumerate(texts) for offset, piece in _offsets(text)]
        found: list[list[Entity]] = [[] for _ in texts]
        for (i, offset, piece), spans in zip(cut, self._tag([p for _, _, p in cut]), strict=True):
            if reshape and self._convention is not None:
                spans = self._convention.apply(piece, spans)
            found[i].extend((offset + s, offset + e, label) for s, e, label in spans)
        return found


def _offsets(text: str) -> list[tuple[int, str]]:
    out, offset = [], 0
    for piece in pieces(text):
        out.append((offset, piece))
        offset += len(piece)
    return out


@lru_cache(maxsize=1)
def _config() -> dict[str, Any]:
    return tomllib.loads(resources.files(__package__).joinpath(f"{DATA}/models.toml").read_text("utf-8"))


def _trained_dir(language: str) -> Any:
    return resources.files(__package__).joinpath(f"{DATA}/{language}")


@lru_cache(maxsize=1)
def ner_languages() -> tuple[str, ...]:
    """Languages (besides English) with an installed NER model."""
    configured = set(_config()["languages"])
    trained = {entry.name for entry in resources.files(__package__).joinpath(DATA).iterdir()
               if entry.joinpath("meta.json").is_file()}
    return tuple(sorted(configured | trained))


def _spacy_tagger(nlp: Any) -> Callable[[list[str]], list[list[tuple[int, int, str]]]]:
    def tag(texts: list[str]) -> list[list[tuple[int, int, str]]]:
        return [[(e.start_char, e.end_char, e.label_) for e in doc.ents]
                for doc in nlp.pipe(texts, batch_size=16)]
    return tag


def _natasha_tagger() -> Callable[[list[str]], list[list[tuple[int, int, str]]]]:
    from natasha import NewsEmbedding, NewsNERTagger

    tagger = NewsNERTagger(NewsEmbedding())

    def tag(texts: list[str]) -> list[list[tuple[int, int, str]]]:
        return [[(s.start, s.stop, s.type) for s in markup.spans] for markup in tagger.map(texts)]
    return tag


@lru_cache(maxsize=None)
def load_ner(language: str) -> NerTagger:
    """The NER tagger for ``language`` (KeyError if none is installed)."""
    spacy = import_spacy()  # without torch, as for English

    if language not in ner_languages():
        raise KeyError(f"no named-entity model for language {language!r}")
    spec = _config()["languages"].get(language, {"backend": "spacy"})
    labels = _config()["labels"]
    convention = None
    if "convention" in spec:
        with resources.as_file(resources.files(__package__).joinpath(f"{DATA}/{spec['convention']}")) as path:
            convention = Convention.load(path)
    if spec["backend"] == "natasha":
        return NerTagger(language, spec["model"], "natasha", _natasha_tagger(), labels, convention)
    if "package" in spec:
        nlp = spacy.load(spec["package"], exclude=EXCLUDE)
        model = spec["model"]
    else:
        path = _trained_dir(language)
        nlp = spacy.load(str(path))
        model = f"{nlp.meta['name']}-{nlp.meta['version']}"
    return NerTagger(language, model, "spacy", _spacy_tagger(nlp), labels, convention)
