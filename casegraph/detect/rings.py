"""Ring assembly: run every detector, merge the findings into rings, score and explain them.

`find_rings(graph, params)` is the one entry point the CLI and the job runner call. It is pure:
the graph goes in (see `casegraph.graph.projection` for its format), a `DetectionResult` comes
out, and nothing is written anywhere.
"""

from __future__ import annotations

import gc
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from casegraph.detect.communities import evidence_graph, group_members
from casegraph.detect.control import find_control_networks
from casegraph.detect.cycles import find_cycles
from casegraph.detect.explain import describe_thresholds, display_key, explain_members
from casegraph.detect.fans import find_fan_in, find_fan_out, find_gather_scatter, find_scatter_gather
from casegraph.detect.findings import EdgeRef, Finding
from casegraph.detect.one_off import ONE_OFF, find_one_off_cycles, find_one_off_fans
from casegraph.detect.params import DetectionParams
from casegraph.detect.pass_through import find_pass_through
from casegraph.detect.profile import LedgerProfile, follow_ledger, profile_ledger
from casegraph.detect.scoring import score_ring
from casegraph.detect.shared_identifiers import find_shared_identifiers
from casegraph.detect.transfers import LedgerTotals, TransferIndex

__all__ = ["FLOW_DETECTORS", "STAGES", "DetectionResult", "Ring", "RingEdge", "RingMember", "find_rings"]

FlowDetector = Callable[[TransferIndex, DetectionParams], list[Finding]]
FLOW_DETECTORS: dict[str, FlowDetector] = {
    "cycle": find_cycles,
    "fan_in": find_fan_in,
    "fan_out": find_fan_out,
    "scatter_gather": find_scatter_gather,
    "gather_scatter": find_gather_scatter,
    "pass_through": find_pass_through,
    "one_off_fans": find_one_off_fans,
    "one_off_cycles": find_one_off_cycles,
}
_FLOW_TYPOLOGIES = frozenset({"cycle", "fan_in", "fan_out", "scatter_gather", "gather_scatter", "pass_through",
                              ONE_OFF})
# Linking evidence that joins pieces but is no typology of its own (an account's holder).
HOLDER_LINK = "holds"


@dataclass(slots=True)
class RingMember:
    key: str
    type: str
    why: list[dict[str, Any]]
    name: str | None = None

    @property
    def parts(self) -> list[str]:
        """The member's part in the ring by typology name (fan_in, cycle, ...), from its reasons."""
        return sorted({reason["typology"] for reason in self.why if "typology" in reason})


@dataclass(slots=True)
class RingEdge:
    """One projection edge inside a ring and the typologies it shows; `amount` is the money it moved
    when it belongs to a money-flow typology (else 0). Per-caller figures are summed over these."""

    source: str
    target: str
    typologies: list[str]
    amount: float
    sources: list[str]


@dataclass(slots=True)
class Ring:
    id: str
    score: float
    score_parts: dict[str, float]
    typologies: list[str]
    regions: list[str]
    agencies: list[str]
    cases: list[str]
    amount: float
    members: list[RingMember]
    edges: list[RingEdge] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "score": self.score, "score_parts": self.score_parts,
                "typologies": self.typologies, "regions": self.regions, "agencies": self.agencies,
                "cases": self.cases, "total_amount": round(self.amount, 2),
                "explanation": self.explanation,
                # the member shape of GET /v1/rings/{id}: key, type, name, its parts, why it is in
                "members": [{"key": m.key, "type": m.type, "name": m.name, "parts": m.parts, "why": m.why}
                            for m in self.members]}


@dataclass(slots=True)
class DetectionResult:
    """All rings (scored, best first), the pruned hubs, and per-stage seconds and counts."""

    rings: list[Ring]
    params: DetectionParams
    hubs: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def above_threshold(self) -> list[Ring]:
        return [ring for ring in self.rings if ring.score > self.params.score_threshold]


STAGES = ("shared_identifier", "control_network", "transfer_index", "ledger_profile", *FLOW_DETECTORS, "holders",
          "communities", "scoring")


def find_rings(graph: nx.MultiDiGraph, params: DetectionParams | None = None,
               on_stage: Callable[[str], None] | None = None, *, totals: LedgerTotals | None = None,
               profile: LedgerProfile | None = None) -> DetectionResult:
    """Detect rings in a projection graph; see the package docstring for the typologies.

    `on_stage` is called with each stage's name (see `STAGES`) before the stage runs: the job
    runner reports progress there, and may raise to stop the run (a cancel request). `totals` and
    `profile` describe the whole ledger when `graph` holds only the parts of it that can hold a
    pattern (the Spark engine, `casegraph.detect.spark`); by default they are read from `graph`.
    """
    # Detection allocates millions of small acyclic objects (transfers, findings); the cyclic
    # collector would rescan the whole graph again and again while they are built.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _find_rings(graph, params or DetectionParams(), on_stage, totals, profile)
    finally:
        if was_enabled:
            gc.enable()


def _find_rings(graph: nx.MultiDiGraph, params: DetectionParams, on_stage: Callable[[str], None] | None,
                totals: LedgerTotals | None, profile: LedgerProfile | None) -> DetectionResult:
    timings: dict[str, float] = {}
    counts: dict[str, int] = {}

    def timed(stage: str, run: Callable[[], Any]) -> Any:
        if on_stage is not None:
            on_stage(stage)
        started = time.perf_counter()
        value = run()
        timings[stage] = time.perf_counter() - started
        return value

    shared, hubs = timed("shared_identifier", lambda: find_shared_identifiers(graph, params))
    control = timed("control_network", lambda: find_control_networks(graph, params))
    findings: list[Finding] = [*shared, *control]
    index: TransferIndex = timed("transfer_index", lambda: TransferIndex(graph, params, totals))
    params = timed("ledger_profile", lambda: follow_ledger(params, profile or profile_ledger(index)))
    counts["transfers_used"] = index.totals.used
    counts["transfers_regular"] = index.totals.regular
    for name, detector in FLOW_DETECTORS.items():
        if name in params.disabled_detectors:
            continue
        findings.extend(timed(name, lambda d=detector: d(index, params)))  # type: ignore[misc]
    findings.extend(timed("holders", lambda: _holder_links(graph, findings)))
    for finding in findings:
        counts[finding.typology] = counts.get(finding.typology, 0) + 1
    groups = timed("communities", lambda: group_members(evidence_graph(findings, params.weights), params))
    rings = timed("scoring", lambda: _assemble(graph, groups, findings, params))
    return DetectionResult(rings, params, hubs, timings, counts)


def _holder_links(graph: nx.MultiDiGraph, findings: list[Finding]) -> list[Finding]:
    """Tie the accounts of money-flow findings to the people and companies that hold them."""
    accounts = {m for f in findings if f.typology in _FLOW_TYPOLOGIES for m in f.members}
    links = []
    for account in accounts:
        edges: list[EdgeRef] = [(src, account, key) for src, _dst, key, t in
                                graph.in_edges(account, keys=True, data="type") if t == "HOLDS"]
        if edges:
            links.append(Finding(HOLDER_LINK, frozenset({account, *(e[0] for e in edges)}), edges))
    return links


def _assemble(graph: nx.MultiDiGraph, groups: list[frozenset[str]], findings: list[Finding],
              params: DetectionParams) -> list[Ring]:
    by_member: dict[str, list[int]] = {}
    for position, finding in enumerate(findings):
        for member in finding.members:
            by_member.setdefault(member, []).append(position)
    rings = []
    for members in groups:
        candidates = {p for m in members for p in by_member.get(m, ())}
        inside = [findings[p] for p in sorted(candidates)
                  if any(s in members and d in members for s, d, _k in findings[p].edges)]
        typologies = sorted({f.typology for f in inside} - {HOLDER_LINK})
        nodes = graph.nodes
        regions = sorted({r for m in members for r in nodes[m].get("regions", ())})
        agencies = sorted({a for m in members for a in nodes[m].get("agencies", ())})
        cases = sorted({c for m in members for c in nodes[m].get("cases", ())})
        score, parts = score_ring(typologies, regions, agencies, len(members), params)
        edges = _ring_edges(graph, members, inside)
        amount = sum(edge.amount for edge in edges)
        why = explain_members(graph, members, inside)
        ordered = sorted(members, key=lambda m: (nodes[m].get("type", ""), m))
        ring_members = [RingMember(display_key(graph, m), nodes[m].get("type", ""), why[m],
                                   nodes[m].get("name")) for m in ordered]
        digest = hashlib.sha1("\n".join(sorted(members)).encode()).hexdigest()[:12]
        rings.append(Ring(f"ring-{digest}", score, parts, typologies, regions, agencies, cases, amount,
                          ring_members, edges, describe_thresholds(typologies, params)))
    rings.sort(key=lambda r: (-r.score, -len(r.members), r.id))
    return rings


def _ring_edges(graph: nx.MultiDiGraph, members: frozenset[str], findings: list[Finding]) -> list[RingEdge]:
    """The typology edges with both ends in the ring, each once with all the typologies it shows."""
    typologies: dict[EdgeRef, set[str]] = {}
    for finding in findings:
        if finding.typology == HOLDER_LINK:
            continue
        for edge in finding.edges:
            if edge[0] in members and edge[1] in members:
                typologies.setdefault(edge, set()).add(finding.typology)
    edges = []
    for edge, found in sorted(typologies.items()):
        data = graph.edges[edge]
        moved = data["amount"] if found & _FLOW_TYPOLOGIES else 0.0
        edges.append(RingEdge(edge[0], edge[1], sorted(found), moved, list(data.get("sources", ()))))
    return edges
