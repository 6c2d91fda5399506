"""The bulk load's in-memory stages, without Neo4j: fold, resolution in memory, CSV, in one process.

A corpus's agency folders are extracted once (`--workers` processes, timed apart), then the facts go
through `batch_rows` + `MemoryGraph` (fold), the linker's rules on it (resolve) and the importer's CSV
files (csv), `--repeat` times; printed: CPU-second medians of each stage and entity mentions/s of the
CSV stage and of the three together, with no JVM start in any figure (`bulk_load.py` times the
importer and the switch).
`--facts FILE` keeps the extracted facts in a pickle (written once, read on later runs), so the
stages can be re-measured without extracting again; `--profile FILE` writes a cProfile of the CSV stage.
Run: PYTHONPATH=. python benchmarks/bulk_stages.py --corpus /tmp/corpus-small [--repeat 5] [--facts /tmp/small.pickle]
"""

from __future__ import annotations

import argparse
import cProfile
import pickle
import statistics
import tempfile
import time
from pathlib import Path

from casegraph.graph.batch_rows import batch_rows
from casegraph.graph.facts import AgencyRef, DocumentFacts
from casegraph.graph.import_csv import CsvWriter
from casegraph.graph.memory_graph import MemoryGraph
from casegraph.graph.memory_links import MemoryLinks
from casegraph.ingest.bulk import graph_to_csv
from casegraph.ingest.case_files import iter_case_files
from casegraph.ingest.resolution.linker import link_store
from casegraph.ingest.run import ExtractionCounts, default_workers, extracted_documents


def extract(corpus: Path, workers: int, home: Path) -> list[DocumentFacts]:
    facts: list[DocumentFacts] = []
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        agency = AgencyRef(folder.name, folder.name.split("-")[0].upper(), folder.name.split("-")[-1])
        files = [p.resolve() for p in iter_case_files([folder])]
        facts += extracted_documents(files, agency, "shared", [], workers, home, ExtractionCounts())
    return facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/corpus-small"))
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--facts", type=Path, help="a pickle of the extracted facts: read if present, else written")
    parser.add_argument("--profile", type=Path, help="write a cProfile of one CSV stage here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.facts is not None and args.facts.exists():
            facts = pickle.loads(args.facts.read_bytes())
            print(f"extraction: {len(facts)} documents read from {args.facts}")
        else:
            start = time.perf_counter()
            facts = extract(args.corpus, args.workers, Path(tmp) / "home")
            print(f"extraction: {len(facts)} documents in {time.perf_counter() - start:.1f} s wall "
                  f"({args.workers} workers)")
            if args.facts is not None:
                args.facts.write_bytes(pickle.dumps(facts))
        ids = {f.document["agency"] for f in facts}
        agencies = {a: {"id": a, "region": a.split("-")[0].upper()} for a in ids}  # the generator's agency ids
        times: dict[str, list[float]] = {"fold": [], "resolve": [], "csv": []}
        for _ in range(args.repeat):
            clock = time.process_time()
            rows = batch_rows(facts, fresh_documents={f.key for f in facts})
            graph = MemoryGraph.from_rows([f.document for f in facts], rows, agencies)
            times["fold"].append(time.process_time() - clock)
            clock = time.process_time()
            linked = link_store(MemoryLinks(graph, {}))
            times["resolve"].append(time.process_time() - clock)
            clock = time.process_time()
            csv = CsvWriter(Path(tmp) / "csv")
            graph_to_csv(graph, rows.transfers, {a: f"agency:{a}" for a in agencies}, csv)
            csv.write()
            times["csv"].append(time.process_time() - clock)
        if args.profile is not None:
            csv = CsvWriter(Path(tmp) / "csv")
            with cProfile.Profile() as profile:
                graph_to_csv(graph, rows.transfers, {a: f"agency:{a}" for a in agencies}, csv)
                csv.write()
            profile.dump_stats(args.profile)
    med = {stage: statistics.median(t) for stage, t in times.items()}
    print(f"{rows.mentions} entity mentions, {csv.node_count} nodes, {csv.rel_count} relationships, "
          f"{linked.merges} merges, {linked.candidates} candidates; CPU medians of {args.repeat}: "
          + ", ".join(f"{stage} {s:.3f} s" for stage, s in med.items()))
    print(f"CSV: {rows.mentions / med['csv']:,.0f} mentions/s ({(csv.node_count + csv.rel_count) / med['csv']:,.0f} "
          f"rows/s); fold + resolve + CSV: {rows.mentions / sum(med.values()):,.0f} mentions/s")


if __name__ == "__main__":
    main()
