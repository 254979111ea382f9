"""Build ``sources/data/profiles.tsv.gz``: domain → the licensed reliability values we may show.

Reads the reusable sets in ../shared/data/source-ratings (see its README for licences): Lin et al.
2023 pc1 only (its components derive from third-party raters and stay out), the idiap 2024
``p+fp-average``, the Wikipedia perennial-sources status and the OpenSources labels. Domains are
normalised the way lookups are (lower case, no ``www.``), so the table needs no second pass.

    python scripts/build_source_profiles.py [--ratings ../shared/data/source-ratings]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from newsforensics.sources.domains import normalise_host  # noqa: E402
from newsforensics.sources.profiles import PROFILE_FILE, columns  # noqa: E402


def _put(table: dict[str, dict[str, str]], domain: str, column: str, value: str) -> None:
    host = normalise_host(domain)
    if host and value:
        table.setdefault(host, {})[column] = value


def build(ratings: Path) -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    with (ratings / "lin2023_domain_pc1.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            _put(table, row["domain"], "lin2023_pc1", f"{float(row['pc1']):.3f}")
    idiap = json.loads((ratings / "idiap2024_reliability_scores.json").read_text("utf-8"))
    for domain, scores in idiap.items():
        value = scores.get("p+fp-average")
        if value is not None:
            _put(table, domain, "idiap2024_p_fp_average", f"{float(value):.3f}")
    rsp = json.loads((ratings / "wikipedia_perennial_sources_idiap2024.json").read_text("utf-8"))
    for domain, status in rsp.items():
        _put(table, domain, "wikipedia_rsp", str(int(status)))
    with (ratings / "opensources_websites_fakenewscorpus.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            labels = [row[k].strip() for k in ("type", "2nd_type", "3rd_type") if row.get(k, "").strip()]
            _put(table, row["url"], "opensources", ",".join(dict.fromkeys(labels)))
    return table


def write(table: dict[str, dict[str, str]], path: Path) -> None:
    names = columns()
    # mtime=0 keeps rebuilds byte-identical, so an unchanged table makes no diff.
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed, \
            io.TextIOWrapper(packed, encoding="utf-8", newline="") as f:
        f.write("\t".join(["domain", *names]) + "\n")
        for domain in sorted(table):
            f.write("\t".join([domain, *(table[domain].get(n, "") for n in names)]) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratings", type=Path, default=REPO.parent / "shared/data/source-ratings")
    parser.add_argument("-o", "--output", type=Path, default=PROFILE_FILE)
    args = parser.parse_args()
    table = build(args.ratings)
    write(table, args.output)
    print(f"wrote {len(table):,} domains to {args.output}")


if __name__ == "__main__":
    main()
