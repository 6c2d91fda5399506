"""Money-flow detectors on tiny planted graphs: each test has a case that must match and one that must not."""

from __future__ import annotations

from casegraph.detect.cycles import find_cycles
from casegraph.detect.fans import find_fan_in, find_fan_out, find_gather_scatter, find_scatter_gather
from casegraph.detect.params import DetectionParams
from casegraph.detect.pass_through import find_pass_through
from casegraph.detect.transfers import TransferIndex
from tests.detect_graphs import DAY, HOUR, T0, cycle_edges, graph, tx

P = DetectionParams()


def index_of(edges: list[dict]) -> TransferIndex:
    return TransferIndex(graph(edges), P)


def test_cycle_found_once_with_its_accounts() -> None:
    found = find_cycles(index_of(cycle_edges(["1", "2", "3", "4"], 100_000, T0)), P)
    assert len(found) == 1
    assert found[0].members == {"acct:1", "acct:2", "acct:3", "acct:4"}
    assert len(found[0].edges) == 4


def test_cycle_must_respect_time_order() -> None:
    edges = cycle_edges(["1", "2", "3"], 100_000, T0)
    edges[1]["at"] = T0 - HOUR  # 2->3 happened before 1->2: money cannot have gone round
    assert find_cycles(index_of(edges), P) == []


def test_cycle_must_close_within_window() -> None:
    edges = cycle_edges(["1", "2", "3"], 100_000, T0, step=6 * DAY)  # 12 days > 10-day window
    assert find_cycles(index_of(edges), P) == []


def test_cycle_must_roughly_conserve_amount() -> None:
    edges = cycle_edges(["1", "2", "3"], 100_000, T0)
    edges[2]["amount"] = 20_000  # most of the money stayed behind
    assert find_cycles(index_of(edges), P) == []


def test_cycle_length_bounds() -> None:
    two = cycle_edges(["1", "2"], 50_000, T0)
    seven = cycle_edges([str(n) for n in range(10, 17)], 50_000, T0)
    assert find_cycles(index_of(two + seven), P) == []
    six = cycle_edges([str(n) for n in range(20, 26)], 50_000, T0)
    assert [len(f.members) for f in find_cycles(index_of(six), P)] == [6]


def test_fan_out_needs_enough_distinct_payees_in_window() -> None:
    burst = [tx("9", str(100 + n), 30_000, T0 + n * HOUR) for n in range(5)]
    assert [f.members for f in find_fan_out(index_of(burst), P)] == [
        frozenset({"acct:9", *(f"acct:{100 + n}" for n in range(5))})]
    spread = [tx("9", str(100 + n), 30_000, T0 + n * 2 * DAY) for n in range(5)]
    assert find_fan_out(index_of(spread), P) == []
    same_payee = [tx("9", "100", 30_000, T0 + n * HOUR) for n in range(8)]
    assert find_fan_out(index_of(same_payee), P) == []


def test_fan_in_mirrors_fan_out() -> None:
    burst = [tx(str(100 + n), "9", 5_000, T0 + n * HOUR) for n in range(6)]
    found = find_fan_in(index_of(burst), P)
    assert len(found) == 1 and "acct:9" in found[0].members and len(found[0].members) == 7


def test_payroll_is_not_a_fan_out() -> None:
    by_memo = [tx("7", str(200 + n), 6_000, T0 + n * 60, memo="代发工资") for n in range(20)]
    monthly = [tx("8", str(300 + n), 6_000, T0 + m * 30 * DAY + n * 60) for m in range(3) for n in range(20)]
    index = index_of(by_memo + monthly)
    assert index.regular == 80
    assert find_fan_out(index, P) == []


def test_scatter_gather_source_to_sink_through_intermediaries() -> None:
    edges = []
    for n, mid in enumerate(["m1", "m2", "m3"]):
        edges.append(tx("S", mid, 40_000, T0 + n * HOUR))
        edges.append(tx(mid, "T", 39_500, T0 + DAY + n * HOUR))
    found = find_scatter_gather(index_of(edges), P)
    assert len(found) == 1
    assert found[0].members == {"acct:S", "acct:m1", "acct:m2", "acct:m3", "acct:T"}
    # two intermediaries are not enough, and the forward must carry the money on
    assert find_scatter_gather(index_of(edges[:4]), P) == []
    edges[5]["amount"] = 1_000
    assert find_scatter_gather(index_of(edges), P) == []


def test_gather_scatter_needs_outflow_close_to_inflow() -> None:
    ins = [tx(f"s{n}", "H", 20_000, T0 + n * HOUR) for n in range(3)]
    outs = [tx("H", f"d{n}", 19_800, T0 + DAY + n * HOUR) for n in range(3)]
    found = find_gather_scatter(index_of(ins + outs), P)
    assert len(found) == 1 and len(found[0].members) == 7
    small_outs = [tx("H", f"d{n}", 2_000, T0 + DAY + n * HOUR) for n in range(3)]
    assert find_gather_scatter(index_of(ins + small_outs), P) == []


def test_pass_through_chains_join() -> None:
    edges = [tx("A", "M1", 80_000, T0), tx("M1", "M2", 79_500, T0 + 2 * HOUR),
             tx("M2", "B", 79_000, T0 + 5 * HOUR)]
    found = find_pass_through(index_of(edges), P)
    assert [f.members for f in found] == [frozenset({"acct:A", "acct:M1", "acct:M2", "acct:B"})]
    slow = [tx("A", "M1", 80_000, T0), tx("M1", "B", 79_500, T0 + 3 * DAY)]
    assert find_pass_through(index_of(slow), P) == []


def test_hub_accounts_are_not_pattern_centres() -> None:
    params = DetectionParams(flow_hub_counterparties=10)
    platform = [tx(str(400 + n), "P", 1_000, T0 + n * 60) for n in range(30)]
    assert find_fan_in(TransferIndex(graph(platform), params), params) == []


def test_separate_bursts_are_not_merged() -> None:
    # two collections ten days apart at one account: two bursts, not one long one
    first = [tx(f"a{n}", "H", 10_000, T0 + n * HOUR) for n in range(2)]
    later = [tx(f"b{n}", "H", 10_000, T0 + 10 * DAY + n * HOUR) for n in range(2)]
    outs = [tx("H", f"d{n}", 6_600, T0 + 5 * HOUR + n * HOUR) for n in range(3)]
    found = find_gather_scatter(index_of(first + later + outs), P)
    assert len(found) == 1 and not any(m.startswith("acct:b") for m in found[0].members)
