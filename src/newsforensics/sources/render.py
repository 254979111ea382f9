"""Plain-text lines for a dossier's source section, shared by the CLI and the reports."""

from __future__ import annotations

from typing import Any

from ..report.sections import report_section


def rating_text(rating: dict[str, Any]) -> str:
    """One dataset's value as the dataset states it, with its scale or label."""
    value = rating["value"]
    if "scale" in rating:
        low, high = rating["scale"]
        shown = f"{value:g} on {low:g}…{high:g}"
    elif "label" in rating:
        shown = f"{rating['label']} ({value})"
    else:
        shown = ", ".join(value)
    return f"{rating['provenance']['dataset']}: {shown}"


@report_section("source", "Source")
def source_report(dossier: dict[str, Any]) -> list[str]:
    """The source section of a dossier, when the sources stage ran."""
    section = (dossier.get("extra") or {}).get("source_profile")
    return source_lines(section) if section else []


def source_lines(section: dict[str, Any]) -> list[str]:
    """Outlet and how it was identified, the evidence, agency credits, then the profile."""
    outlet = section.get("outlet")
    if outlet:
        head = f"outlet: {outlet}" + (f" ({section['name']})" if section.get("name") else "")
        head += f" — identified from the {section['method'].replace('-', ' ')}"
        if section["method"] == "fingerprint":
            head += f", confidence {section['confidence']:.2f}"
    else:
        head = "outlet: unknown" + (f" (the page calls itself {section['name']})" if section.get("name") else "")
    lines = [head]
    lines += [f"  evidence: {e['kind']} in {e['where']}: \u201c{e['text']}\u201d" for e in section.get("evidence", [])
              if e["kind"] not in ("url", "canonical-url", "given")]
    if not outlet and section.get("alternatives"):
        lines.append("  candidates: " + ", ".join(f"{a['outlet']} ({a['share']:.2f})" for a in section["alternatives"]))
    credits = sorted({c["agency"] for c in section.get("credits", [])})
    if credits:
        lines.append(f"  content credited to: {', '.join(credits)}")
    profile = section.get("profile")
    if profile is not None:
        if profile["status"] == "unknown":
            lines.append("  profile: unknown (no licensed dataset rates this outlet)")
        for rating in profile["ratings"]:
            lines.append(f"  {rating_text(rating)}")
        if profile.get("state_affiliated"):
            lines.append(f"  state-affiliated, per {profile['state_affiliated']['provenance']['dataset']}")
    return lines
