"""Report lines for the earlier fact-checks of one dossier (the dict form)."""

from __future__ import annotations

from typing import Any

from ..report.sections import report_section


@report_section("factchecks", "Earlier fact-checks")
def factcheck_lines(dossier: dict[str, Any]) -> list[str]:
    """One line per matched fact-check; why nothing was searched, or that nothing matched."""
    state = (dossier.get("extra") or {}).get("factchecks")
    if not state:
        return []
    if not state.get("searched"):
        return [f"not searched: {state.get('reason')}"]
    spans = dossier.get("factchecks") or []
    if not spans:
        return [f"no earlier fact-check matched the {state.get('claims', 0)} claims "
                f"(pool of {state.get('pool', 0)})"]
    return [" · ".join(str(p) for p in (f"{s['claim']}: {s.get('verdict') or 'no verdict'}",
                                         f"“{s['factcheck_claim']}”", s.get("publisher"), s.get("url"),
                                         f"score {s['score']:.2f}") if p) for s in spans]
