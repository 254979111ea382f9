"""The shared spaCy parse, including texts too long to parse at once."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsforensics.document import Document
from newsforensics.models import spacy_model
from newsforensics.models.spacy_model import parse, pieces


@given(st.text(alphabet="ab \n.", max_size=400), st.integers(4, 50))
def test_pieces_concatenate_to_the_text_and_respect_the_limit(text: str, limit: int) -> None:
    cut = pieces(text, limit)
    assert "".join(cut) == text
    assert all(len(p) <= limit for p in cut)


def test_a_long_text_is_parsed_in_pieces_with_exact_offsets(monkeypatch) -> None:
    text = "Officials in Brussels said on Monday that the talks would resume in Geneva.\n" * 12
    whole = parse(Document(text))
    monkeypatch.setattr(spacy_model, "MAX_PIECE_CHARS", 200)
    assert len(pieces(text)) > 4
    in_pieces = parse(Document(text))
    assert in_pieces.text == text
    entities = [(e.start_char, e.end_char, e.label_) for e in in_pieces.ents]
    assert entities == [(e.start_char, e.end_char, e.label_) for e in whole.ents]
    assert len(entities) >= 12
    assert all(text[e.start_char:e.end_char] == e.text for e in in_pieces.ents)


def test_spacy_is_imported_without_torch_and_torch_stays_importable() -> None:
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from newsforensics.models.spacy_model import load_spacy\n"
        "nlp = load_spacy()\n"
        "print('torch' in sys.modules, len(nlp('Officials met in Geneva.').ents))\n"
        "import importlib.util\n"
        "print(importlib.util.find_spec('torch') is not None or 'absent')\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded, found = out.stdout.split("\n")[:2]
    assert loaded.split()[0] == "False"  # thinc took its no-torch branch
    assert int(loaded.split()[1]) >= 1    # and the pipeline still parses
    assert found in ("True", "absent")    # the mark is gone: find_spec raises on a None entry


def test_spacy_is_imported_without_its_cli_which_still_works_when_asked_for() -> None:
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from newsforensics.models.spacy_model import import_spacy, load_spacy\n"
        "spacy = import_spacy()\n"
        "nlp = load_spacy()\n"
        "print('spacy.cli' in sys.modules, len(nlp('Officials met in Geneva.').ents))\n"
        "print(callable(spacy.cli.download), spacy.info()['spacy_version'] == spacy.__version__)\n"
        "import spacy.cli\n"
        "print(type(spacy.cli).__name__, spacy.cli.info.__module__)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    first, second, third = out.stdout.split("\n")[:3]
    assert first.split()[0] == "False" and int(first.split()[1]) >= 1  # no CLI import; it parses
    assert second == "True True"  # the CLI's functions and spacy.info, imported on first use
    assert third == "module spacy.cli.info"  # `import spacy.cli` gives the real package


def test_spacy_registries_read_the_same_entry_points_selected_once_per_group() -> None:
    import importlib.metadata

    from newsforensics.models.spacy_model import import_spacy

    import_spacy()
    import catalogue

    installed = importlib.metadata.entry_points()
    for group in ("spacy_factories", "spacy_languages", "console_scripts", "no_such_group"):
        first = catalogue.AVAILABLE_ENTRY_POINTS.select(group=group)
        assert list(first) == list(installed.select(group=group))
        assert catalogue.AVAILABLE_ENTRY_POINTS.select(group=group) is first  # selected once
    assert catalogue.AVAILABLE_ENTRY_POINTS.select(name="no such name") is not None  # other filters pass through


def test_the_tokenizer_started_empty_is_the_one_spacy_loads() -> None:
    from newsforensics.models.spacy_model import SPACY_PACKAGE, import_spacy, load_spacy

    ours = load_spacy()
    default = import_spacy().load(SPACY_PACKAGE, exclude=["lemmatizer"])
    # the vocabs differ only by the strings attribute_rules adds
    assert ours.tokenizer.to_bytes(exclude=["vocab"]) == default.tokenizer.to_bytes(exclude=["vocab"])
    assert ours.pipe_names == default.pipe_names
    text = "Dr. Smith's U.S.-backed plan (e.g. 3.5% in 2019) isn't done: https://example.org/x?y=1 :-)"
    assert [(t.text, t.idx) for t in ours.make_doc(text)] == [(t.text, t.idx) for t in default.make_doc(text)]
