"""Property tests for what the web layer parses and renders from hostile input."""

from __future__ import annotations

import html
import ipaddress
import re

from hypothesis import given
from hypothesis import strategies as st

from newsforensics.web.fetch import refusal
from newsforensics.web.render import highlighted_text
from newsforensics.web.security import _host_name

TAG = re.compile(r"<[^>]*>")


@st.composite
def dossiers(draw):  # type: ignore[no-untyped-def]
    text = draw(st.text(alphabet=st.sampled_from(list("ab <>&\"'=/\n") + ["é", "⟦"]), max_size=60))
    spans = []
    for i in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
        label = draw(st.sampled_from(["PERSON", "<img src=x onerror=alert(1)>", "a\"b"]))
        spans.append({"id": f"x{i}", "start": start, "end": end, "text": text[start:end], "label": label,
                      "score": None, "stage": "t", "model": None, "note": "<script>alert(1)</script>"})
    layer = draw(st.sampled_from(["entities", "quotes", "some_new_layer"]))
    return {"text": text, "layers": [layer], layer: spans}


@given(dossiers())
def test_highlighted_text_is_the_text_escaped_whatever_the_spans(dossier):
    out = highlighted_text(dossier)
    assert html.unescape(TAG.sub("", out)) == dossier["text"]
    # every tag is one we wrote: spans and anchors, never one from the text or the labels
    assert {m.split()[0].strip("</>") for m in TAG.findall(out)} <= {"span", "a"}
    assert "<img" not in out and "<script" not in out


@given(st.ip_addresses(), st.one_of(st.none(), st.integers(1, 65535)))
def test_host_header_parsing_recovers_the_host(address, port):
    host = f"[{address}]" if isinstance(address, ipaddress.IPv6Address) else str(address)
    header = host if port is None else f"{host}:{port}"
    assert _host_name(header) == str(address)


@given(st.ip_addresses())
def test_only_global_addresses_pass(address):
    reason = refusal(str(address))
    mapped = getattr(address, "ipv4_mapped", None)
    if reason is None:  # stricter than is_global is fine: Python calls some reserved IPv6 global
        assert (mapped or address).is_global
