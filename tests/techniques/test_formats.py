"""SemEval-2020 Task 11 label files: parsing, folders, writing, and the errors users see."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsforensics.errors import InputError
from newsforensics.techniques import (
    SpanLabel,
    read_labels,
    technique_definitions,
    technique_names,
    write_labels,
)
from newsforensics.techniques.formats import techniques_by_span

NAMES = sorted(technique_names())


def test_inventory_has_the_14_scorer_names_each_defined() -> None:
    definitions = technique_definitions()
    assert len(definitions) == 14
    assert {"Loaded_Language", "Name_Calling,Labeling", "Whataboutism,Straw_Men,Red_Herring",
            "Bandwagon,Reductio_ad_hitlerum", "Thought-terminating_Cliches"} <= set(definitions)
    assert all(text.strip().endswith(".") and len(text) > 40 for text in definitions.values())


def test_reads_si_and_tc_lines_skipping_blank_lines_and_crlf(tmp_path: Path) -> None:
    (tmp_path / "si.labels").write_text("111\t4\t19\r\n\n222\t0\t7\n", encoding="utf-8")
    (tmp_path / "tc.labels").write_text("111\tDoubt\t4\t19\n111\tName_Calling,Labeling\t4\t19\n",
                                        encoding="utf-8")
    assert read_labels(tmp_path / "si.labels", "si") == [SpanLabel("111", 4, 19),
                                                         SpanLabel("222", 0, 7)]
    assert read_labels(tmp_path / "tc.labels", "flc") == [
        SpanLabel("111", 4, 19, "Doubt"), SpanLabel("111", 4, 19, "Name_Calling,Labeling")]


def test_reads_a_folder_of_per_article_files_sorted_skipping_hidden_and_others(tmp_path: Path) -> None:
    (tmp_path / "article2.task-si.labels").write_text("2\t5\t9\n", encoding="utf-8")
    (tmp_path / "article1.task-si.labels").write_text("1\t0\t3\n", encoding="utf-8")
    (tmp_path / ".article3.task-si.labels").write_text("garbage\n", encoding="utf-8")
    (tmp_path / "NOTES.md").write_text("not labels\n", encoding="utf-8")
    assert read_labels(tmp_path, "si") == [SpanLabel("1", 0, 3), SpanLabel("2", 5, 9)]


@pytest.mark.parametrize(("task", "line", "reason"), [
    ("si", "42\t10", "expected 3 tab-separated fields"),
    ("si", "42 10 20", "expected 3 tab-separated fields"),
    ("tc", "42\t10\t20", "expected 4 tab-separated fields"),
    ("si", "42\tten\t20", "must be integers"),
    ("si", "42\t-1\t20", "empty or negative"),
    ("si", "42\t20\t20", "empty or negative"),
    ("si", "\t1\t2", "article id is empty"),
    ("tc", "42\tLoaded Language\t1\t2", "not one of the 14"),
    ("flc", "42\t?\t1\t2", "not one of the 14"),
])
def test_malformed_lines_name_file_line_and_reason(tmp_path: Path, task: str, line: str,
                                                   reason: str) -> None:
    path = tmp_path / "pred.txt"
    path.write_text("7\t" + ("Doubt\t" if task != "si" else "") + "0\t5\n\n" + line + "\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=rf"pred\.txt:3: .*{reason}"):
        read_labels(path, task)


def test_template_question_marks_only_when_allowed(tmp_path: Path) -> None:
    path = tmp_path / "template.out"
    path.write_text("9\t?\t3\t8\n", encoding="utf-8")
    assert read_labels(path, "tc", allow_template=True) == [SpanLabel("9", 3, 8, "?")]


@pytest.mark.parametrize("setup", ["missing", "empty_dir", "binary", "unknown_task"])
def test_unreadable_sources_are_input_errors(tmp_path: Path, setup: str) -> None:
    path, task = tmp_path / "x.labels", "si"
    if setup == "empty_dir":
        path = tmp_path / "empty"
        path.mkdir()
    elif setup == "binary":
        path.write_bytes(b"\xff\xfe\x00\x81")
    elif setup == "unknown_task":
        path.write_text("", encoding="utf-8")
        task = "ner"
    with pytest.raises(InputError):
        read_labels(path, task)


labels = st.builds(
    lambda article, start, length, technique: SpanLabel(article, start, start + length, technique),
    st.sampled_from(["111", "735815173", "a-b"]), st.integers(0, 10_000), st.integers(1, 500),
    st.sampled_from(NAMES))


@given(st.lists(labels, max_size=30), st.sampled_from(["si", "tc", "flc"]))
def test_write_then_read_round_trips(tmp_path_factory: pytest.TempPathFactory,
                                     items: list[SpanLabel], task: str) -> None:
    if task == "si":
        items = [SpanLabel(x.article_id, x.start, x.end) for x in items]
    stream = io.StringIO()
    write_labels(stream, items, task)
    path = tmp_path_factory.mktemp("labels") / "out.labels"
    path.write_text(stream.getvalue(), encoding="utf-8")
    assert read_labels(path, task) == items


@given(st.text(max_size=200))
def test_arbitrary_lines_parse_or_raise_input_error(line: str) -> None:
    from newsforensics.techniques.formats import parse_lines

    for task in ("si", "tc"):
        try:
            parsed = parse_lines(line.split("\n"), task, "fuzz")
        except InputError as exc:
            assert str(exc).startswith("fuzz:")
        else:
            assert all(0 <= x.start < x.end for x in parsed)


def test_labels_group_by_span_with_repeats_kept_in_file_order() -> None:
    labels = [SpanLabel("1", 0, 4, "Doubt"), SpanLabel("2", 0, 4, "Slogans"),
              SpanLabel("1", 0, 4, "Repetition"), SpanLabel("1", 5, 9, "Doubt")]
    assert techniques_by_span(labels) == {("1", 0, 4): ["Doubt", "Repetition"],
                                          ("2", 0, 4): ["Slogans"], ("1", 5, 9): ["Doubt"]}
