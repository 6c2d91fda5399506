"""Extraction throughput on one core: the whole pipeline vs a bare pass of the same regular expressions.

Text: the documents of a truth file (the generated corpus if given, else the hand-written gold set),
repeated until there are at least --mb megabytes (UTF-8). Each measurement is the median of 5 runs;
the ratio is taken from medians measured in the same run.

Run: PYTHONPATH=. python benchmarks/extract.py [--truth corpus/truth.json] [--mb 4]
"""

from __future__ import annotations

import argparse
import json
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
from casegraph.ingest.extract import extract_text
from casegraph.ingest.nlp import get_pipeline
from casegraph.ingest.normalize import normalise

GOLD = Path(__file__).resolve().parent.parent / "tests" / "gold" / "truth.json"


def bare_patterns() -> list[re.Pattern[str]]:
    """The regular expressions the components run, compiled once, without any of their logic."""
    return [
        identifiers._RUN18, identifiers._PHONE, identifiers._DIGITS, identifiers._GROUPED, identifiers._MASKED,
        identifiers._TAIL, amounts._MONEY, amounts._DATE, case_numbers._COURT, case_numbers._AGENCY_YEAR,
        charges._known(), charges._INTRODUCED, organisations._banks(), organisations._SUFFIX,
        organisations._SHORT_FORM, persons._CUE, persons._anonymised(), persons._named_before_action(),
        places._CUE, places._openers(),
    ]


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
    get_pipeline()
    lexicon.surnames()
    patterns = bare_patterns()

    def whole() -> None:
        for text in corpus:
            extract_text(text, sha256="-")

    def bare() -> None:
        for text in corpus:
            for pattern in patterns:
                for _ in pattern.finditer(text):
                    pass

    def normalise_only() -> None:
        for text in corpus:
            normalise(text)

    pipeline_s, pipeline_wall = median_seconds(whole)
    bare_s, bare_wall = median_seconds(bare)
    normalise_s, normalise_wall = median_seconds(normalise_only)
    print(f"text: {len(corpus)} documents, {megabytes:.2f} MB UTF-8 ({chars / 1e6:.2f} M characters) from {args.truth}")
    for name, cpu, wall in (("whole pipeline ", pipeline_s, pipeline_wall), ("bare regex pass", bare_s, bare_wall),
                            ("normalisation  ", normalise_s, normalise_wall)):
        print(f"{name}: median CPU {cpu:.2f} s -> {megabytes / cpu:.2f} MB/s (wall {wall:.2f} s -> "
              f"{megabytes / wall:.2f} MB/s)")
    print(f"ratio pipeline/bare CPU time: {pipeline_s / bare_s:.2f}x (wall {pipeline_wall / bare_wall:.2f}x)")


if __name__ == "__main__":
    main()
