"""Extraction throughput on one core: the whole pipeline with the name model (one document at a
time, and batched through `nlp.pipe`), the rules-only pipeline (CASEGRAPH_NAMES_MODEL=off), a bare
pass of the same regular expressions; with --workers N also the batched pipeline across N processes.

Text: the documents of a truth file (the generated corpus if given, else the hand-written gold set),
repeated until there are at least --mb megabytes (UTF-8). Each measurement is the median of
--repeats runs; the ratios are taken from medians measured in the same run.

Run: PYTHONPATH=. python benchmarks/extract.py [--truth corpus/truth.json] [--mb 4] [--repeats 5] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from casegraph.ingest import lexicon
from casegraph.ingest.components import (
    amounts,
    case_numbers,
    charges,
    identifiers,
    organisations,
    persons,
    places,
)
from casegraph.ingest.extract import extract_text, extract_texts
from casegraph.ingest.nlp import get_pipeline
from casegraph.ingest.normalize import normalise
from casegraph.settings import get_settings

GOLD = Path(__file__).resolve().parent.parent / "tests" / "gold" / "truth.json"


def bare_patterns() -> list[re.Pattern[str]]:
    """The regular expressions the components run, compiled once, without any of their logic."""
    return [
        identifiers._RUN18, identifiers._PHONE, identifiers._DIGITS, identifiers._GROUPED, identifiers._MASKED,
        identifiers._TAIL, amounts._MONEY, amounts._DATE, case_numbers._COURT, case_numbers._AGENCY_YEAR,
        charges._known(), charges._INTRODUCED, organisations._banks(), organisations._SUFFIX,
        organisations._SHORT_FORM, persons._CUE, persons._anonymised(), persons._named_before_action(),
        places._CUE,
    ]


def use_names_model(on: bool) -> None:
    """The process's pipeline with or without the name model, as the setting chooses it."""
    os.environ["CASEGRAPH_NAMES_MODEL"] = "on" if on else "off"
    get_settings.cache_clear()
    get_pipeline.cache_clear()
    get_pipeline()


def _extract_share(texts: list[str]) -> int:
    use_names_model(True)
    return sum(len(d.entities) for d in extract_texts(texts))


def across_workers(corpus: list[str], workers: int) -> float:
    """Wall seconds for the batched pipeline over `corpus` split across `workers` processes (each
    loads the pipeline and the model before the clock starts)."""
    from concurrent.futures import ProcessPoolExecutor

    shares = [corpus[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_extract_share, [corpus[:workers]] * workers))  # warm every process
        started = time.perf_counter()
        list(pool.map(_extract_share, shares))
        return time.perf_counter() - started


def median_seconds(run: Callable[[], None], repeats: int = 5) -> tuple[float, float]:
    """Median CPU seconds and median wall seconds of `repeats` runs. On a shared machine the CPU
    time of the pinned process is the steadier figure; wall time is printed beside it."""
    cpu: list[float] = []
    wall: list[float] = []
    for _ in range(repeats):
        for cache in identifiers.CACHES:  # no run profits from the identifier checks of the last
            cache.cache_clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        run()
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--truth", type=Path, default=GOLD)
    parser.add_argument("--mb", type=float, default=4.0)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--workers", type=int, default=0, help="also measure the batched pipeline on N processes")
    args = parser.parse_args()
    truth = json.loads(args.truth.read_text(encoding="utf-8"))
    texts = [d["text"] for d in truth["documents"] if d.get("text") and d.get("kind") != "ledger"]
    corpus: list[str] = []
    size = 0
    while size < args.mb * 1_000_000:
        for text in texts:
            corpus.append(text)
            size += len(text.encode("utf-8"))
    megabytes = size / 1_000_000
    chars = sum(len(t) for t in corpus)
    lexicon.surnames()
    patterns = bare_patterns()

    def whole() -> None:
        for text in corpus:
            extract_text(text, sha256="-")

    def batched() -> None:
        for _ in extract_texts(corpus):
            pass

    def bare() -> None:
        for text in corpus:
            for pattern in patterns:
                for _ in pattern.finditer(text):
                    pass

    def normalise_only() -> None:
        for text in corpus:
            normalise(text)

    use_names_model(True)
    model_s, model_wall = median_seconds(whole, args.repeats)
    batched_s, batched_wall = median_seconds(batched, args.repeats)
    use_names_model(False)
    rules_s, rules_wall = median_seconds(whole, args.repeats)
    bare_s, bare_wall = median_seconds(bare, args.repeats)
    normalise_s, normalise_wall = median_seconds(normalise_only, args.repeats)
    print(f"text: {len(corpus)} documents, {megabytes:.2f} MB UTF-8 ({chars / 1e6:.2f} M characters) from {args.truth}")
    for name, cpu, wall in (("with the name model, per document ", model_s, model_wall),
                            ("with the name model, nlp.pipe     ", batched_s, batched_wall),
                            ("rules only (CASEGRAPH_NAMES_MODEL=off)", rules_s, rules_wall),
                            ("bare regex pass                   ", bare_s, bare_wall),
                            ("normalisation                     ", normalise_s, normalise_wall)):
        print(f"{name}: median CPU {cpu:.2f} s -> {megabytes / cpu:.2f} MB/s (wall {wall:.2f} s -> "
              f"{megabytes / wall:.2f} MB/s)")
    print(f"ratio model (nlp.pipe) / rules-only CPU time: {batched_s / rules_s:.2f}x; "
          f"rules-only / bare regex: {rules_s / bare_s:.2f}x")
    if args.workers:
        wall = across_workers(corpus, args.workers)
        print(f"with the name model, nlp.pipe, {args.workers} processes: wall {wall:.2f} s -> "
              f"{megabytes / wall:.2f} MB/s")


if __name__ == "__main__":
    main()
