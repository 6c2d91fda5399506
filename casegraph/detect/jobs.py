"""The ring-detection job: project the graph, detect, write the run and its rings back.

`run_ring_detection` is what the job runner calls (kind "ring-detection"); `detect_on_graph` is
the same work without a job, for `casegraph detect rings` on the local graph. Only this module
of `casegraph.detect` touches the graph layer.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx
from neo4j import Driver, ManagedTransaction

from casegraph.detect.engines import check_engine, default_master, detect_graph, pick_engine
from casegraph.detect.evaluation import aliases_from_mentions, document_keys
from casegraph.detect.params import DetectionParams
from casegraph.detect.rings import STAGES, DetectionResult, Ring
from casegraph.detect.scoring import STRUCTURAL_TYPOLOGIES
from casegraph.detect.spark.neo4j_frames import Neo4jSource, transfer_span
from casegraph.errors import InvalidInput
from casegraph.graph.alert_triggers import follow_rings, record_ring_alerts
from casegraph.graph.jobs import JobContext
from casegraph.graph.projection import ReadStats, from_neo4j
from casegraph.graph.queries import cypher
from casegraph.settings import Settings, load_settings

__all__ = ["detect_on_graph", "params_from_request", "run_ring_detection", "truth_aliases", "write_run"]

# Share of the progress bar per phase: the read, the detectors, the write-back.
_READ_END, _DETECT_END = 0.3, 0.9
_PARAM_NAMES = frozenset(f.name for f in fields(DetectionParams))


def params_from_request(raw: dict[str, Any] | None) -> DetectionParams:
    """DetectionParams from a job's JSON params; ``threshold`` is short for ``score_threshold``."""
    values = dict(raw or {})
    check_engine(str(values.pop("engine", "networkx")))  # the engine runs the params, it is none of them
    if "threshold" in values:
        values["score_threshold"] = values.pop("threshold")
    unknown = sorted(set(values) - _PARAM_NAMES)
    if unknown:
        raise InvalidInput(f"unknown detection parameter(s): {', '.join(unknown)}")
    if "payroll_words" in values:
        values["payroll_words"] = tuple(values["payroll_words"])
    try:
        return DetectionParams(**values)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"bad detection parameters: {exc}") from None


def detect_on_graph(driver: Driver, database: str, agency: str | None, params: DetectionParams,
                    context: JobContext | None = None, engine: str = "networkx",
                    master: str | None = None,
                    settings: Settings | None = None) -> tuple[nx.MultiDiGraph, DetectionResult, ReadStats]:
    """Project what `agency` may see and detect rings on it, reporting progress to `context`.

    `engine` (networkx, spark, auto; see `engines`) and the Spark `master` (default: the settings').
    On Spark, the tasks connect to the server of `settings` (default: this process's).
    """
    if context is not None:
        context.progress(0.01, "reading the graph")
    stats = ReadStats()
    counted = _transfers(driver, database) if engine == "auto" else 0
    spark_reads = pick_engine(engine, counted) == "spark"
    # On Spark the tasks read the transfers themselves, a range of ids each: not through this process.
    graph = from_neo4j(driver, database, agency, stats, transfers=not spark_reads)

    def on_stage(stage: str) -> None:
        if context is not None:
            done = STAGES.index(stage) / len(STAGES)
            context.progress(_READ_END + done * (_DETECT_END - _READ_END), f"detecting: {stage}")

    if context is not None:
        context.progress(_READ_END, f"read {stats.nodes} entities and {stats.relationships} facts "
                                    f"in {stats.seconds:.1f} s")
    if spark_reads:
        from casegraph.detect.spark.engine import detect_neo4j_with_spark

        result = detect_neo4j_with_spark(graph, _neo4j_source(settings, database, agency), params,
                                         master or default_master(), on_stage)
        stats.relationships += result.counts.get("transfers_read", 0)
        return graph, result, stats
    return graph, detect_graph(graph, params, engine, master, on_stage), stats


def _transfers(driver: Driver, database: str) -> int:
    return transfer_span(driver, database).transfers


def _neo4j_source(settings: Settings | None, database: str, agency: str | None) -> Neo4jSource:
    """Where the Spark tasks read from: the server the caller reads from."""
    settings = settings or load_settings()
    return Neo4jSource(settings.uri, settings.neo4j_user, settings.neo4j_password or "", database, agency)


def truth_aliases(driver: Driver, database: str, truth: Mapping[str, Any], corpus_dir: str | Path) -> dict[str, str]:
    """Graph node key -> truth key, from the spans of the corpus' documents as the graph records them."""
    documents = document_keys(truth, corpus_dir)
    records, _, _ = driver.execute_query(cypher("document_entity_mentions"), keys=list(documents),
                                         database_=database, routing_="r")
    mentions = ((r["document"], r["type"], r["start"], r["end"], r["node"]) for r in records
                if r["start"] is not None and r["end"] is not None)
    return aliases_from_mentions(truth, documents, mentions)


def run_ring_detection(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    """Job entry point: detection within the job's agency's sharing, rings written back."""
    started_at = datetime.now(UTC)
    detection_params = params_from_request(params)
    # The master is the server's (CASEGRAPH_SPARK_MASTER): a caller names the engine, never a host.
    graph, result, stats = detect_on_graph(context.driver, context.database, context.agency,
                                           detection_params, context, str(params.get("engine", "networkx")),
                                           settings=context.settings)
    context.progress(_DETECT_END, f"writing {len(result.rings)} rings")
    run_id = f"run-{started_at:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    alerts = write_run(context.driver, context.database, run_id, context.agency, graph, result, stats, started_at)
    above = result.above_threshold()
    return {"run": run_id, "rings": len(result.rings), "rings_above_threshold": len(above), "alerts": alerts,
            "top": [{"id": f"{run_id}-{i:04d}", "score": r.score, "members": len(r.members)}
                    for i, r in enumerate(result.rings[:10])],
            "projection": {"documents": stats.documents, "entities": stats.nodes,
                           "facts": stats.relationships, "seconds": round(stats.seconds, 3)},
            "timings": {k: round(v, 3) for k, v in result.timings.items()}, "counts": result.counts}


def write_run(driver: Driver, database: str, run_id: str, agency: str | None, graph: nx.MultiDiGraph,
              result: DetectionResult, stats: ReadStats, started_at: datetime) -> int:
    """The run, its rings, their members and the alerts they raise in one write transaction (all or
    nothing); the number of alerts."""
    rings, members, evidence = _ring_rows(run_id, graph, result.rings)
    counts = {**result.counts, "rings": len(result.rings), "rings_above_threshold": len(result.above_threshold()),
              "entities": stats.nodes, "facts": stats.relationships}
    run: dict[str, Any] = {"id": run_id, "params": json.dumps(result.params.as_record(), ensure_ascii=False),
           "counts": json.dumps(counts), "agency": agency, "threshold": result.params.score_threshold,
           "started_at": started_at.isoformat(), "finished_at": datetime.now(UTC).isoformat(),
           "scoring": _scoring(result.params)}

    def write(tx: ManagedTransaction) -> int:
        # Each ring beside the previous run's, read before this run is written (issue 19).
        changes = follow_rings(tx, agency, rings, result.params.score_threshold, members)
        tx.run(cypher("ring_write_run"), run).consume()
        tx.run(cypher("ring_write_rings"), run=run_id, rows=rings).consume()
        for label, rows in members.items():
            tx.run(cypher("ring_write_members", label=label), rows=rows).consume()
        for label, rows in evidence.items():
            tx.run(cypher("ring_write_evidence", label=label), rows=rows).consume()
        # Alerts of new and changed rings commit with the run, or neither does.
        return record_ring_alerts(tx, changes)

    with driver.session(database=database) as session:
        return session.execute_write(write)


def _scoring(params: DetectionParams) -> dict[str, Any]:
    """What `score_ring` uses, as plain properties of the run (rings_visible.cypher scores with them)."""
    names = sorted(params.weights)
    return {"weight_names": names, "weight_values": [float(params.weights[n]) for n in names],
            "cross_region_bonus": params.cross_region_bonus, "multi_agency_bonus": params.multi_agency_bonus,
            "size_penalty": params.size_penalty, "size_penalty_from": params.size_penalty_from,
            "structure_only_cap": params.structure_only_cap, "structural": sorted(STRUCTURAL_TYPOLOGIES)}


Rows = dict[str, list[dict[str, Any]]]


def _ring_rows(run_id: str, graph: nx.MultiDiGraph, rings: list[Ring]) -> tuple[list[dict[str, Any]], Rows, Rows]:
    """The rings, their members per label, and their typology edges per label of the first end."""
    ring_rows: list[dict[str, Any]] = []
    member_rows: Rows = {}
    evidence_rows: Rows = {}
    for rank, ring in enumerate(rings):
        ring_id = f"{run_id}-{rank:04d}"
        ring_rows.append({"id": ring_id, "rank": rank, "signature": ring.id, "score": ring.score,
                          "score_parts": json.dumps(ring.score_parts), "typologies": ring.typologies,
                          "regions": ring.regions, "agencies": ring.agencies, "cases": ring.cases,
                          "total_amount": round(ring.amount, 2)})
        for member in ring.members:
            # Accounts are displayed by number; the graph keys them "acct:<number>".
            key = f"acct:{member.key}" if member.type == "Account" and not member.key.startswith("acct:") \
                else member.key
            sources = sorted({s for reason in member.why for s in reason.get("sources", ())})
            if not sources:  # joined by a community step without an edge of its own: its mentions
                sources = sorted(graph.nodes[key].get("sources", ())) if key in graph else []
            member_rows.setdefault(member.type, []).append(
                {"ring": ring_id, "key": key, "why": json.dumps(member.why, ensure_ascii=False),
                 "sources": sources})
        for edge in ring.edges:
            evidence_rows.setdefault(graph.nodes[edge.source]["type"], []).append(
                {"ring": ring_id, "key": edge.source, "to": edge.target, "typologies": edge.typologies,
                 "amount": edge.amount, "sources": edge.sources})
    return ring_rows, member_rows, evidence_rows
