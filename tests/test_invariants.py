"""Every span of every stage of the full default pipeline satisfies the offset invariant,
on arbitrary text and on arbitrary markup, and the dossier always serialises."""

from __future__ import annotations

import html
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsforensics import analyze
from newsforensics.errors import InputError
from newsforensics.serialize import to_dict

NEWSY = st.lists(
    st.sampled_from([
        "Officials in Kyiv said on Monday that the talks had failed.",
        "“We will not retreat,” Colonel Anna Morrow told reporters.",
        "According to him, 300 people left Saraqib on 4 March 2019.",
        "The ministry did not comment.",
        "1,250 $", "Share 0", "Read more:", "\n", "\n\n", "\"", "’", "«", "»",
    ]) | st.text(max_size=40),
    max_size=12,
).map(" ".join)


def _check(raw: str) -> None:
    try:
        doc = analyze(raw)
    except InputError:
        return
    for layer, spans in doc.layers.items():
        for span in spans:
            assert doc.text[span.start:span.end] == span.text, (layer, span)
    for removed in doc.removed:  # located exactly, as escaped markup, or flagged unlocated
        if removed.attrs.get("located") is False:
            assert removed.raw_start == removed.raw_end == 0
            continue
        escaped = removed.attrs.get("raw_form") == "escaped"
        expected = html.escape(removed.text, quote=False) if escaped else removed.text
        assert doc.raw[removed.raw_start:removed.raw_end] == expected
    assert not [r for r in doc.stage_runs if r.status == "failed"]
    json.dumps(to_dict(doc))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NEWSY)
def test_full_pipeline_on_newsy_text(raw: str) -> None:
    _check(raw)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NEWSY.map(lambda t: f"<html><body><p>{t}</p><p>{t[::-1]}</p><script>x</script></body>"))
def test_full_pipeline_on_html(raw: str) -> None:
    _check(raw)
