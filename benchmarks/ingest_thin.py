"""Thin-path ingest speed: 1,000 short generated case files through extraction, resolution and
the writer into a real local Neo4j. Prints files/s and entities/s (median of the runs).

    python benchmarks/ingest_thin.py [--files 1000] [--runs 3] [--corpus DIR]

Each run starts from an empty graph; the server runs on a free port over a temp data folder.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from casegraph.graph.connection import get_driver
from casegraph.graph.local_server import LocalServer
from casegraph.graph.migrate import migrate
from casegraph.graph.queries import cypher
from casegraph.ingest.run import ingest
from casegraph.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def corpus(folder: Path | None, scratch: Path) -> Path:
    if folder is not None:
        return folder
    out = scratch / "corpus"
    # ~9,000 persons give a little over 1,000 text documents.
    subprocess.run([sys.executable, "-m", "casegraph.cli", "demo", "generate", "--out", str(out), "--seed", "11",
                    "--scale", "9000"], check=True, stdout=subprocess.DEVNULL)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", type=Path)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="cg-bench-"))
    root = corpus(args.corpus, scratch)
    truth = json.loads((root / "truth.json").read_text(encoding="utf-8"))
    docs = [d for d in truth["documents"] if d["format"] == "txt" and not d.get("broken")][: args.files]
    by_agency: dict[str, list[Path]] = {}
    for d in docs:
        by_agency.setdefault(d["agency"], []).append(root / d["path"])
    os.environ.setdefault("CASEGRAPH_HOME", str(Path(".casegraph").resolve()))
    settings = Settings(CASEGRAPH_NEO4J_PORT=free_port(), CASEGRAPH_NEO4J_DATA=scratch / "data",  # type: ignore[call-arg]
                        NEO4J_PASSWORD="bench-password")
    server = LocalServer(settings)
    server.start()
    try:
        driver = get_driver(settings)
        db = settings.neo4j_database
        migrate(driver, db)
        seconds: list[float] = []
        entities = 0
        for _ in range(args.runs):
            with driver.session(database=db) as session:
                session.run("MATCH (n) WHERE NOT n:SchemaMigration CALL (n) { DETACH DELETE n } "
                            "IN TRANSACTIONS OF 10000 ROWS").consume()
            for agency in truth["agencies"]:
                driver.execute_query(cypher("agency_upsert"), id=agency["id"], kind=agency["kind"],
                                     region=agency["region"], name=agency["name"], default_sharing="shared",
                                     database_=db)
            started = time.perf_counter()
            entities = 0
            for agency, paths in by_agency.items():
                report = ingest(driver, db, paths, agency, scratch / "home")
                entities += report.entities
            seconds.append(time.perf_counter() - started)
        median = statistics.median(seconds)
        print(f"files: {len(docs)}  entities: {entities}  runs: {args.runs}")
        print(f"seconds (median): {median:.2f}  all: {', '.join(f'{s:.2f}' for s in seconds)}")
        print(f"files/s: {len(docs) / median:.1f}  entities/s: {entities / median:.0f}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
