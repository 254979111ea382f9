"""Report lines for the narratives of one dossier (the dict form), shared by the text reports."""

from __future__ import annotations

from typing import Any

from ..report.sections import report_section


@report_section("narratives", "Known narratives")
def narrative_lines(dossier: dict[str, Any]) -> list[str]:
    """One line per matched narrative plus its best evidence; a line saying so when none matched."""
    summary = dossier.get("narrative_matches")
    if not summary:
        return []
    catalogue = summary.get("catalogue") or "the catalogue"
    if summary.get("status") == "no-match":
        return [f"no known narrative matched ({catalogue})"]
    lines = []
    for row in summary.get("narratives", []):
        lines.append(f"{row['title']} [{row['id']}] · score {row['score']:.2f} · carried {row['carried']}, "
                     f"attributed {row['attributed']}, denied {row['denied']}")
        best = max((e for e in row["evidence"] if e["stance"] != "denied"), key=lambda e: e["score"] or 0)
        lines.append(f"  “{best['sentence']}” ~ example “{best['example']}”")
    for row in summary.get("denied_only", []):
        lines.append(f"{row['title']} [{row['id']}] · only reported as denied ({row['denied']})")
    return lines
