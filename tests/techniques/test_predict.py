"""Prediction files: article folders read as the scorer expects, TC templates filled in order."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from newsforensics.errors import InputError
from newsforensics.techniques import SpanLabel
from newsforensics.techniques.corpus import article_id, read_articles
from newsforensics.techniques.formats import technique_definitions
from newsforensics.techniques.predict import predict_tc


class RankingModel:
    """Stands in for the network: a fixed technique ranking for every span."""

    names = list(technique_definitions())

    def __init__(self, order: list[str]) -> None:
        self.order = order

    def classify(self, text, segments, spans):  # noqa: ANN001, ANN201 - the model's interface
        probs = np.zeros((len(spans), len(self.names)))
        for rank, name in enumerate(self.order):
            probs[:, self.names.index(name)] = 1.0 / (rank + 2)
        return probs


def test_article_ids_follow_the_ptc_file_names() -> None:
    assert article_id(Path("article111111111.txt")) == "111111111"
    assert article_id(Path("notes.txt")) == "notes"


def test_articles_are_read_with_universal_newlines_only(tmp_path: Path) -> None:
    (tmp_path / "article1.txt").write_bytes("Title\r\n\r\nCafé  lies.\n".encode())
    assert read_articles(tmp_path) == {"1": "Title\n\nCafé  lies.\n"}


@pytest.mark.parametrize("content", [b"\xff\xfe\x00broken", None])
def test_unreadable_or_missing_article_folders_are_input_errors(tmp_path: Path, content) -> None:
    if content is None:
        with pytest.raises(InputError, match="holds no article"):
            read_articles(tmp_path)
        return
    (tmp_path / "article2.txt").write_bytes(content)
    with pytest.raises(InputError, match="UTF-8"):
        read_articles(tmp_path)


def test_a_span_listed_twice_gets_its_two_most_probable_techniques_in_template_order() -> None:
    model = RankingModel(["Loaded_Language", "Name_Calling,Labeling", "Doubt"])
    template = [SpanLabel("1", 0, 4), SpanLabel("1", 5, 9), SpanLabel("1", 0, 4)]
    filled = predict_tc(model, {"1": "vile liar"}, template)
    assert [(f.start, f.technique) for f in filled] == [
        (0, "Loaded_Language"), (5, "Loaded_Language"), (0, "Name_Calling,Labeling")]


def test_a_template_naming_unknown_articles_is_an_input_error() -> None:
    with pytest.raises(InputError, match="not in the articles folder"):
        predict_tc(RankingModel(["Doubt"]), {"1": "text"}, [SpanLabel("7", 0, 2)])
