"""The self-contained HTML report: one file, inline CSS, no script, no external assets.

Layers are toggled with CSS-only checkboxes; hovering a highlighted piece lists every span that
covers it. The template autoescapes everything; the only pre-built markup is the highlighted
text (escaped piece by piece in ``highlight``) and the CSS, built from our own style data with
layer names reduced to safe class tokens.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from . import digest
from .highlight import Mark, css_token, highlight
from .sections import text_sections

TEMPLATE = "templates/report.html.j2"
STYLESHEET = "templates/report.css"


@lru_cache(maxsize=1)
def _template():  # type: ignore[no-untyped-def]
    import jinja2

    files = resources.files("newsforensics.report")
    # Attributes are optional in the dossier, so a missing one renders empty (default Undefined).
    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["describe"] = digest.describe
    env.filters["attribution"] = digest.attribution_text
    return env.from_string(files.joinpath(TEMPLATE).read_text("utf-8")), files.joinpath(
        STYLESHEET).read_text("utf-8")


def layer_infos(dossier: dict[str, Any]) -> list[digest.LayerInfo]:
    """The highlighted layers in display order; each unknown layer gets its own palette colour."""
    layers = digest.highlight_layers(dossier)
    unknown = [n for n in layers if not digest.layer_info(n).known]
    return [digest.layer_info(n, unknown.index(n) if n in unknown else 0) for n in layers]


def layer_css(infos: list[digest.LayerInfo]) -> str:
    """Per-layer highlight rules, active only while the layer's checkbox is checked."""
    rules = []
    for info in infos:
        token = css_token(info.name)
        scope = f"#t-{token}:checked ~ main .l-{token}"
        if info.css:
            rules.append(f"{scope}{{{info.css}}}")
        rules.extend(f"{scope}--{css_token(label)}{{{css}}}" for label, css in info.label_css.items())
        unchecked = f"#t-{token}:not(:checked) ~ main label[for=t-{token}]"
        rules.append(f"{unchecked}{{opacity:.5}}{unchecked}::before{{content:\"\\2610\\00a0\"}}")
    return "\n".join(rules)


def render(dossier: dict[str, Any]) -> str:
    """The HTML report of one dossier (its JSON form)."""
    import markupsafe

    template, stylesheet = _template()
    infos = layer_infos(dossier)
    layers = [info.name for info in infos]
    marks = [Mark(layer, s["start"], s["end"], s) for layer in layers for s in digest.spans(dossier, layer)]
    text_html = highlight(dossier.get("text", ""), marks, lambda m: digest.describe(m.layer, m.span))
    return template.render(
        d=dossier,
        css=markupsafe.Markup(stylesheet + "\n" + layer_css(infos)),
        text_html=markupsafe.Markup(text_html),
        layers=[(info, css_token(info.name), len(digest.spans(dossier, info.name))) for info in infos],
        token=css_token,
        metadata=digest.metadata_rows(dossier),
        counts=digest.counts(dossier),
        quotes_by_speaker=digest.quotes_by_speaker(dossier),
        speaker_roles=digest.speaker_roles,
        claims=digest.spans(dossier, "claims"),
        places=digest.places(dossier),
        timeline=digest.timeline(dossier),
        entities=digest.entities(dossier),
        others=[(digest.layer_info(n), digest.spans(dossier, n)) for n in digest.other_layers(dossier)],
        removed=digest.removed(dossier),
        text_sections=text_sections(dossier),
    )
