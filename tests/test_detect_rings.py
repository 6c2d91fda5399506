"""Rings end to end on a small planted graph: the ring scores above threshold, the decoys do not."""

from __future__ import annotations

import pytest

from casegraph.detect import DetectionParams, find_rings
from casegraph.detect.scoring import score_ring
from tests.detect_graphs import DAY, HOUR, T0, cycle_edges, graph, link, tx

P = DetectionParams()
BOSS, MULE = "ric:500103199001010011", "ric:510104198505050022"
SHELL_A, SHELL_B, SHELL_C = "uscc:91500103MA5U0000A1", "uscc:91510104MA6C0000B2", "uscc:91510104MA6C0000C3"


def planted_ring() -> tuple[list[dict], list[dict]]:
    nodes = [
        {"key": BOSS, "type": "Person", "name": "张伟", "regions": ["CQ"], "agencies": ["cq-police"],
         "cases": ["case:cq-police:渝公（经）立字〔2023〕45号"]},
        {"key": MULE, "type": "Person", "name": "李强", "regions": ["SC"], "agencies": ["sc-procuratorate"]},
    ]
    edges = [link(BOSS, SHELL_A, "LEGAL_REP_OF"), link(BOSS, SHELL_B, "CONTROLS"),
             link(BOSS, SHELL_C, "SHAREHOLDER_OF"),
             link(BOSS, "acct:6222000000000001", "HOLDS"), link(MULE, "acct:6222000000000002", "HOLDS"),
             link(SHELL_A, "acct:6222000000000003", "HOLDS")]
    edges += cycle_edges(["6222000000000001", "6222000000000002", "6222000000000003"], 200_000, T0)
    return nodes, edges


def decoys() -> tuple[list[dict], list[dict]]:
    family = [f"ric:51010419700101{n:04d}" for n in range(4)]
    edges = [link(p, "phone:13512345678", "USES") for p in family]
    edges += [link(p, "addr:成都市武侯区人民南路四段1号", "LOCATED_AT") for p in family]
    branch = "addr:重庆市渝中区解放碑工商银行支行"
    edges += [link(f"ric:50010319800101{n:04d}", branch, "LOCATED_AT") for n in range(50)]
    employer = "uscc:91500000MA5UEMPLOY"
    edges.append(link(employer, "acct:9000000000000000", "HOLDS"))
    for month in range(3):  # month-end payroll to forty staff, three months running
        for n in range(40):
            at = T0 + month * 30 * DAY + n * 30
            edges.append(tx("9000000000000000", f"80000000{n:04d}", 6_500 + n, at))
    nodes = [{"key": p, "type": "Person", "regions": ["SC", "CQ"], "agencies": ["sc-police", "cq-police"]}
             for p in family]
    return nodes, edges


def test_planted_ring_is_found_and_explained() -> None:
    nodes, edges = planted_ring()
    result = find_rings(graph(edges, nodes), P)
    top = result.above_threshold()
    assert len(top) == 1
    ring = top[0]
    assert {"cycle", "control_network"} <= set(ring.typologies)  # its fast hops are pass-through too
    assert ring.regions == ["CQ", "SC"] and ring.agencies == ["cq-police", "sc-procuratorate"]
    assert "cross_region" in ring.score_parts and "multi_agency" in ring.score_parts
    assert abs(sum(ring.score_parts.values()) - ring.score) < 1e-6
    keys = {m.key for m in ring.members}
    assert {BOSS, MULE, SHELL_A, SHELL_B, SHELL_C, "6222000000000001", "6222000000000002"} <= keys
    account = next(m for m in ring.members if m.key == "6222000000000002")
    assert account.type == "Account"
    cycle_reasons = [w for w in account.why if w["typology"] == "cycle"]
    assert {w["other"] for w in cycle_reasons} == {"6222000000000001", "6222000000000003"}
    assert all(w["tx_ids"] and w["sources"] for w in cycle_reasons)
    holder = next(m for m in ring.members if m.key == MULE)
    assert holder.why[0]["edge"] == "HOLDS" and holder.why[0]["sources"] == ["doc:abc"]
    assert ring.amount > 500_000


def test_decoys_stay_below_threshold() -> None:
    nodes, edges = decoys()
    result = find_rings(graph(edges, nodes), P)
    assert result.above_threshold() == []
    assert "addr:重庆市渝中区解放碑工商银行支行" in result.hubs
    family_ring = [r for r in result.rings if "phone:13512345678" in {m.key for m in r.members}]
    assert len(family_ring) == 1 and family_ring[0].typologies == ["shared_identifier"]


def test_ring_and_decoys_together() -> None:
    ring_nodes, ring_edges = planted_ring()
    decoy_nodes, decoy_edges = decoys()
    result = find_rings(graph(ring_edges + decoy_edges, ring_nodes + decoy_nodes), P)
    assert [len(r.members) for r in result.above_threshold()] == [8]


def test_score_bonuses_scale_evidence_and_size_is_penalised() -> None:
    weak, _ = score_ring(["shared_identifier"], ["CQ", "SC"], ["a", "b"], 4, P)
    assert weak < P.score_threshold
    strong, parts = score_ring(["cycle", "fan_in"], ["CQ", "SC"], ["a"], 10, P)
    assert parts["cross_region"] == pytest.approx(1.5 * P.cross_region_bonus) and "multi_agency" not in parts
    big, big_parts = score_ring(["cycle", "fan_in"], ["CQ", "SC"], ["a"], 50, P)
    assert big < strong and big_parts["size_penalty"] < 0


def test_oversized_group_is_split_by_louvain() -> None:
    # two 4-account cycles bridged by one weak pass-through link: one component, two communities
    edges = cycle_edges(["1", "2", "3", "4"], 100_000, T0) + cycle_edges(["5", "6", "7", "8"], 90_000, T0)
    edges += [tx("4", "X", 50_000, T0 + 2 * DAY), tx("X", "5", 49_800, T0 + 2 * DAY + HOUR)]
    params = DetectionParams(max_ring_size=6)
    sizes = sorted(len(r.members) for r in find_rings(graph(edges), params).rings)
    assert max(sizes) <= 6 and sum(sizes) == 9


def test_structure_without_money_is_capped_below_threshold() -> None:
    score, parts = score_ring(["shared_identifier", "control_network"], ["CQ", "SC"], ["a", "b"], 6, P)
    assert score == P.structure_only_cap and parts["no_money_flow_cap"] < 0
    with_money, parts = score_ring(["shared_identifier", "fan_in"], ["CQ", "SC"], ["a", "b"], 6, P)
    assert with_money > P.score_threshold and "no_money_flow_cap" not in parts


def test_two_rings_joined_by_one_transfer_are_cut_at_the_bridge() -> None:
    edges = cycle_edges([f"a{n}" for n in range(6)], 100_000, T0)
    edges += cycle_edges([f"b{n}" for n in range(6)], 90_000, T0)
    edges += [tx(f"a{n}", f"a{(n + 3) % 6}", 70_000, T0 + n * HOUR) for n in range(6)]  # fan-ins, extra glue
    edges.append(tx("a0", "b0", 1_000_000, T0 + 3 * DAY))  # joined only by a pass-through-like hop
    edges.append(tx("b0", "b1", 995_000, T0 + 3 * DAY + HOUR))
    params = DetectionParams(max_ring_size=8)
    groups = sorted(sorted(m.key for m in r.members) for r in find_rings(graph(edges), params).rings)
    assert groups == [[f"a{n}" for n in range(6)], [f"b{n}" for n in range(6)]]


def test_cut_bridges_keeps_small_hangers_on() -> None:
    import networkx as nx

    from casegraph.detect.communities import _cut_bridges

    g = nx.union(nx.complete_graph(["a1", "a2", "a3", "a4"]), nx.complete_graph(["b1", "b2", "b3", "b4"]))
    g.add_edge("a1", "b1")  # the bridge between two rings
    g.add_edge("b4", "leaf")  # a bridge too, but it would only shed one node
    pieces = sorted(sorted(p) for p in _cut_bridges(g, 4))
    assert pieces == [["a1", "a2", "a3", "a4"], ["b1", "b2", "b3", "b4", "leaf"]]


class ReadOnlyList(list):  # type: ignore[type-arg]
    """A list that fails the test when changed in place."""

    def _refuse(self, *_args: object, **_kwargs: object) -> None:
        raise AssertionError("detection changed a shared list (an edge's sources, a node's lists) in place")

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse  # type: ignore[assignment]
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse  # type: ignore[assignment]


def test_detection_never_changes_an_edges_sources() -> None:
    # from_neo4j gives the edges with the same visible sources one shared list (the projection's
    # format says read-only): a detector changing one in place would change other edges' evidence.
    ring_nodes, ring_edges = planted_ring()
    decoy_nodes, decoy_edges = decoys()
    g = graph(ring_edges + decoy_edges, ring_nodes + decoy_nodes)
    shared: dict[tuple[str, ...], ReadOnlyList] = {}
    for _u, _v, data in g.edges(data=True):
        data["sources"] = shared.setdefault(tuple(data["sources"]), ReadOnlyList(data["sources"]))
    # ... and the nodes' regions, agencies, cases and sources, shared the same way since session 5.
    for _key, data in g.nodes(data=True):
        for name in ("regions", "agencies", "cases", "sources"):
            value = list(data.get(name, ()))
            data[name] = shared.setdefault((name, *value), ReadOnlyList(value))
    before = {key: list(value) for key, value in shared.items()}
    result = find_rings(g, P)
    assert [len(r.members) for r in result.above_threshold()] == [8]
    assert any(w["sources"] for r in result.rings for m in r.members for w in m.why)
    assert {"CQ", "SC"} <= set(result.above_threshold()[0].regions)  # the node lists were read
    assert {key: list(value) for key, value in shared.items()} == before
