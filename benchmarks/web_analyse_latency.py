"""Analyse-page latency of the workbench for a 1,000-word article, after warm-up.

    .venv/bin/python benchmarks/web_analyse_latency.py [--runs 10] [--stages STAGE,...]

What an analyst waits for: the analyse form posted (multipart, as the browser sends it), the
303 redirect followed, and the dossier page and its layer stylesheet received, against a real
``newsforensics serve`` on loopback whose models loaded and warmed up at startup. Each run's
article differs by one line so that no run is answered from the dossier cache.

The article: 1,000 words made of whole PTC articles when ../shared/data/ptc is present (research
data, read in place), else of the bundled sample's paragraphs (which repeat; the script says so).
The stages are the pipeline's DEFAULT_STAGES, printed; the techniques stage is measured on top
when it is registered but not yet a default. Target: ≤ 1 s with techniques on.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from importlib import resources
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_common import percentile, serve  # noqa: E402

PTC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ptc"
TARGET_WORDS = 1000
TARGET_SECONDS = 1.0


def article() -> tuple[str, str]:
    """(text of about TARGET_WORDS words, where it came from)."""
    paths = sorted(PTC.glob("train-articles/article*.txt"))
    if paths:
        texts = sorted((p.read_text(encoding="utf-8") for p in paths[:400]),
                       key=lambda t: abs(len(t.split()) - TARGET_WORDS))
        return texts[0], f"the PTC article closest to {TARGET_WORDS} words ({len(texts[0].split())} words)"
    sample = resources.files("newsforensics").joinpath("data/sample/meridian-gao-drones.txt").read_text("utf-8")
    headline, body = sample.split("\n", 1)
    paragraphs = [p for p in body.split("\n") if p.strip()]
    out, words = [headline, ""], 0
    while words < TARGET_WORDS:
        paragraph = paragraphs[len(out) % len(paragraphs)]
        out.append(paragraph)
        words += len(paragraph.split())
    return "\n".join(out), f"the bundled sample's paragraphs repeated to {words} words (PTC data not present)"


def measure(base: str, text: str, runs: int) -> tuple[list[float], dict[str, float]]:
    """Seconds per run, and the median seconds of each stage (from the dossiers' provenance)."""
    seconds: list[float] = []
    per_stage: dict[str, list[float]] = {}
    with httpx.Client(base_url=base, timeout=60.0, follow_redirects=False) as client:
        for run in range(runs + 2):  # two unmeasured warm-up analyses
            body = f"{text}\n\nReference {run}-{time.time_ns()}."
            started = time.perf_counter()
            posted = client.post("/analyze", files={"text": (None, body)})
            assert posted.status_code == 303, posted.text
            page = client.get(posted.headers["location"])
            css = client.get(posted.headers["location"] + "/layers.css")
            elapsed = time.perf_counter() - started
            assert page.status_code == 200 and css.status_code == 200
            if run >= 2:
                seconds.append(elapsed)
                dossier = client.get("/api" + posted.headers["location"]).json()
                for stage in dossier["stages"]:
                    per_stage.setdefault(stage["name"], []).append(stage["seconds"])
    return seconds, {name: statistics.median(values) for name, values in per_stage.items()}


def report(label: str, measured: tuple[list[float], dict[str, float]]) -> None:
    seconds, per_stage = measured
    median, p90 = statistics.median(seconds), percentile(seconds, 0.9)
    verdict = "met" if median <= TARGET_SECONDS else "MISSED"
    print(f"{label}: median {median:.3f} s, p90 {p90:.3f} s, max {max(seconds):.3f} s over {len(seconds)} runs "
          f"(target ≤ {TARGET_SECONDS:.1f} s: {verdict})")
    print("  median seconds per stage: " + ", ".join(f"{n} {v:.3f}" for n, v in per_stage.items()))
    print(f"  outside the stages (extraction, serialisation, HTTP, page rendering): "
          f"{median - sum(per_stage.values()):.3f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--stages", help="measure this stage list (STAGE,...) instead of the defaults")
    args = parser.parse_args()
    from newsforensics.pipeline import DEFAULT_STAGES, registered

    text, origin = article()
    print(f"article: {origin}")
    if args.stages:
        with serve("--stages", args.stages) as server:
            report(f"analyse page, stages {args.stages}", measure(server.base, text, args.runs))
        return 0
    with serve() as server:
        report("analyse page, default stages", measure(server.base, text, args.runs))
    if "techniques" in DEFAULT_STAGES:
        print("the techniques stage is a default stage: the figure above is with techniques on")
    elif "techniques" in registered():
        print("the techniques stage is registered but not a default stage; measuring it on top:")
        with serve("--stages", ",".join([*DEFAULT_STAGES, "techniques"])) as server:
            report("analyse page, default stages + techniques", measure(server.base, text, args.runs))
    else:
        print("no techniques stage is registered yet: the target 'with techniques on' cannot be measured")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
