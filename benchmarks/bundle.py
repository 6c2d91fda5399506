"""Time a case-assist bundle of a case with 50 parties on an ingested corpus (the target: under 5 s).

Usage: PYTHONPATH=. python benchmarks/bundle.py [--parties 50] [--repeat 5]

Runs against the graph that the settings point at (NEO4J_URI or the local server), which must hold
an ingested corpus (e.g. `casegraph demo generate --scale medium` then `casegraph ingest` per agency).
The generated corpora have no case with 50 parties, so the script adds one through the writer: a
synthetic document of the first agency whose case names the 50 resident-ID persons that most other
documents mention, each with a ROLE_IN (the same shapes the writer produces). Prints the median and
the spread, wall and CPU, of assembling the bundle, of each rendering (JSON, HTML, PDF), of all files
(`render_files`, manifest included) and of assemble + render_files; and the load average.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import statistics
import time
from datetime import UTC, datetime

from casegraph.bundle.assemble import Limits, assemble
from casegraph.bundle.models import Requester
from casegraph.bundle.package import render_files
from casegraph.bundle.render_html import render_html
from casegraph.bundle.render_pdf import render_pdf
from casegraph.graph.connection import get_driver
from casegraph.graph.migrate import migrate
from casegraph.graph.writer import write_documents
from casegraph.ingest.resolve import DocumentFacts, NodeRow, RelRow, case_key
from casegraph.settings import load_settings

BUSY_PERSONS = """
MATCH (p:Person)-[:MENTIONED_IN]->(d:Document)
WHERE p.key STARTS WITH 'ric:'
WITH p, count(DISTINCT d) AS n ORDER BY n DESC, p.key LIMIT $n
RETURN p.key AS key, p.name AS name
"""
PARTS = {"json": lambda b: b.model_dump_json(indent=2), "html": render_html, "pdf": render_pdf}
FIRST_AGENCY = "MATCH (d:Document) RETURN d.agency AS agency ORDER BY agency LIMIT 1"


def synthetic_case(parties: list[tuple[str, str | None]], agency: str) -> DocumentFacts:
    text = "".join(f"被告人{name or key}参与本案。" for key, name in parties)
    sha = hashlib.sha256(("benchmark-50-parties:" + text).encode()).hexdigest()
    doc_key, number = f"doc:{sha}", "渝检刑诉(2099)50号"
    key = case_key(agency, number)
    facts = DocumentFacts(document={
        "key": doc_key, "sha256": sha, "agency": agency, "path": "benchmark/synthetic.txt",
        "filename": "synthetic.txt", "kind": "indictment", "sharing": "shared", "shared_with": [],
        "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"), "case_number": number, "text": text,
        "page_starts": [], "date_starts": [], "date_ends": [], "date_values": []})
    facts.nodes.append(NodeRow("Case", key, {"number": number, "agency": agency, "kind": "indictment"}))
    facts.rels.append(RelRow("OF_CASE", "Document", doc_key, "Case", key))
    facts.rels.append(RelRow("HANDLED_BY", "Case", key, "Agency", agency))
    offset = 0
    for person, name in parties:
        start = offset + 3
        end = start + len(name or person)
        offset += len(f"被告人{name or person}参与本案。")
        facts.nodes.append(NodeRow("Person", person, {}))
        facts.rels.append(RelRow("MENTIONED_IN", "Person", person, "Document", doc_key, fid=str(start),
                                 props={"start": start, "end": end, "text": name or person}))
        facts.rels.append(RelRow("ROLE_IN", "Person", person, "Case", key, fid="defendant",
                                 props={"role": "defendant"}))
    return facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parties", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    settings = load_settings()
    driver, db = get_driver(settings), settings.neo4j_database
    migrate(driver, db)  # the key constraints and lookup indexes the bundle queries seek on
    agency = driver.execute_query(FIRST_AGENCY, database_=db).records[0]["agency"]
    people = [(r["key"], r["name"]) for r in driver.execute_query(BUSY_PERSONS, n=args.parties, database_=db).records]
    facts = synthetic_case(people, agency)
    write_documents(driver, db, [facts])
    key = next(n.key for n in facts.nodes if n.label == "Case")
    requester = Requester(agency="cq-procuratorate", user="bench", purpose="benchmark")
    counts = driver.execute_query("MATCH (d:Document) RETURN count(d) AS docs", database_=db).records[0]
    print(f"machine: {platform.machine()}, python {platform.python_version()}; graph: {counts['docs']} documents; "
          f"case {key} with {len(people)} parties")
    # Wall time suffers from the other processes of a shared machine; CPU time (this process only:
    # the Neo4j server's share of assembling is not in it) shows what the code itself costs.
    timings: dict[str, list[tuple[float, float]]] = {name: [] for name in ("assemble", *PARTS, "total")}
    for _ in range(args.repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        bundle = assemble(driver, db, key, requester, Limits(parties=max(100, args.parties)))
        timings["assemble"].append((time.perf_counter() - w0, time.process_time() - c0))
        for name, render in PARTS.items():
            w, c = time.perf_counter(), time.process_time()
            render(bundle)
            timings[name].append((time.perf_counter() - w, time.process_time() - c))
        w, c = time.perf_counter(), time.process_time()
        files = render_files(bundle)  # all of it again, as the package writes it (manifest and hashes included)
        timings["render_files"] = [*timings.get("render_files", []), (time.perf_counter() - w, time.process_time() - c)]
        timings["total"].append((timings["assemble"][-1][0] + timings["render_files"][-1][0],
                                 timings["assemble"][-1][1] + timings["render_files"][-1][1]))
    print(f"bundle: {bundle.parties.total} parties, {bundle.other_cases.total} other cases, {len(bundle.hits)} hits, "
          f"{bundle.money.transfers.total} transfers, {len(bundle.money.typologies)} typologies, "
          f"{len(bundle.rings)} rings, {bundle.timeline.total} timeline events, "
          f"{len(bundle.evidence)} evidence items; files {', '.join(f'{n} {len(b):,} B' for n, b in files.items())}")
    for name, values in timings.items():
        walls, cpus = [w for w, _ in values], [c for _, c in values]
        print(f"{name:12} wall median {statistics.median(walls):6.2f} s (min {min(walls):5.2f}, max {max(walls):5.2f})"
              f"   cpu median {statistics.median(cpus):5.2f} s   (n={len(values)})")
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"target < 5 s: {'met' if statistics.median(w for w, _ in timings['total']) < 5 else 'NOT met'} (wall); "
          f"{'met' if statistics.median(c for _, c in timings['total']) < 5 else 'NOT met'} (cpu of this process)")

if __name__ == "__main__":
    main()
