"""Plain-text lines for claim statuses, shared by the CLI and the reports."""

from __future__ import annotations

from typing import Any

from ..report.sections import report_section

STATUS_STYLE = {"denied": "bold red", "corroborated": "bold green", "single-source": "bold yellow",
                "uncontested-in-article": "dim", "is-denial": "cyan"}


def _origin(origin: dict[str, Any]) -> str:
    who = ", ".join(origin["outlets"]) or "unknown outlet"
    if origin["speakers"]:
        who += f" quoting {', '.join(origin['speakers'])}"
    if origin.get("agencies"):
        who += f" crediting {', '.join(origin['agencies'])}"
    items = origin["items"]
    copies = f"; {len(origin['copies'])} cop{'ies' if len(origin['copies']) != 1 else 'y'}" if origin["copies"] else ""
    when = f" {origin['first_published']}" if origin["first_published"] else ""
    return f"{who}{when} (item{'s' * (len(items) != 1)} {', '.join(map(str, items))}{copies})"


def denial_line(d: dict[str, Any]) -> str:
    """"denied by X (outlet, date, N days after the first report): cue"."""
    verb = "refuted" if d.get("kind") == "refutation" else "denied"
    context = [c for c in (d.get("outlet"), d.get("published")) if c]
    if d.get("days_after_first_report") is not None:
        context.append(f"{d['days_after_first_report']} days after the first report")
    if d.get("item_id") is not None:
        context.append(f"item {d['item_id']}")
    return (f"{verb} by {d.get('denier') or 'unknown'}" + (f" ({', '.join(context)})" if context else "")
            + f": \u201c{d.get('sentence') or d.get('cue') or ''}\u201d")


def group_lines(group: dict[str, Any]) -> list[str]:
    """A claim group as lines: status and text, its independent origins, its denials."""
    n_items = len({r["item_id"] for r in group["reports"]})
    lines = [f"[{group['status']}] {group['text']}",
             f"  reported by {n_items} item{'s' * (n_items != 1)}, "
             f"{group['independent_sources']} independent source{'s' * (group['independent_sources'] != 1)}:"]
    lines += [f"    - {_origin(o)}" for o in group["origins"]]
    lines += [f"  {denial_line(d)}" for d in group["denials"]]
    return lines


@report_section("claim_status", "Claim status")
def claim_status_lines(dossier: dict[str, Any]) -> list[str]:
    """Each claim's status in a dossier: the corpus status when the dossier was read from a
    store (``corroboration``), else what the article itself denies (the ``claim_status`` view)."""
    corpus = dossier.get("corroboration") or {}
    lines: list[str] = []
    for row in dossier.get("claim_status") or []:
        group = corpus.get(row["claim"])
        if group is not None:
            first, *rest = group_lines(group)
            status = first.split("]", 1)[0] + "]"
            lines.append(f"{row['claim']} {status} {row['text']}")
            lines += rest
        elif row["status"] == "denied":
            lines.append(f"{row['claim']} [denied in this article] {row['text']}")
            lines += [f"  {d['kind'] if d['kind'] == 'refutation' else 'denial'} by {d['denier'] or 'unknown'}"
                      f" ({d['denial']}, cue \u201c{d['cue']}\u201d)" for d in row["denied_by"]]
        elif row["status"] == "is-denial":
            lines.append(f"{row['claim']} [a denial] {row['text']}")
    if lines and not corpus:
        lines.append("(within this article only: no corpus consulted; see `newsforensics claims --db`)")
    return lines
