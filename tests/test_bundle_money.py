"""Pure parts of the bundle: money checks, quoting, the diagram layout."""

from __future__ import annotations

from casegraph.bundle import money
from casegraph.bundle.quotes import page_of, sentence_at
from casegraph.detect.cycles import find_cycles
from casegraph.detect.fans import find_fan_in
from casegraph.detect.params import DetectionParams
from casegraph.detect.transfers import TransferIndex


def _flows() -> list[money.Flow]:
    # A and B are the parties' accounts; X1..X3 pay into A (fan-in), A → M → B is a path, B → A closes a cycle.
    return [money.Flow("acct:X1", "acct:A", 100.0, evidence=("E1",)),
            money.Flow("acct:X2", "acct:A", 200.0, evidence=("E2",)),
            money.Flow("acct:X3", "acct:A", 300.0, evidence=("E3",)),
            money.Flow("acct:A", "acct:M", 550.0, evidence=("E4",)),
            money.Flow("acct:M", "acct:B", 540.0, evidence=("E5",)),
            money.Flow("acct:B", "acct:A", 10.0, evidence=("E6",)),
            money.Flow("acct:B", "acct:A", 5.0, evidence=("E7",))]


def test_totals_fold_parallel_transfers() -> None:
    graph = money.flow_graph(_flows())
    totals = {t.account: t for t in money.account_totals(graph, {"acct:A": "p1", "acct:B": "p2"})}
    assert (totals["acct:A"].total_in, totals["acct:A"].count_in) == (615.0, 5)
    assert (totals["acct:B"].total_out, totals["acct:B"].count_out) == (15.0, 2)
    assert totals["acct:A"].total_out == 550.0


def test_counterparties_exclude_the_parties_own_accounts() -> None:
    graph = money.flow_graph(_flows())
    ranked = money.largest_counterparties(graph, {"acct:A", "acct:B"}, {})
    assert [c.account for c in ranked] == ["acct:M", "acct:X3", "acct:X2", "acct:X1"]
    assert ranked[0].direction == "both" and ranked[0].total == 1090.0
    assert ranked[1].direction == "in" and ranked[1].evidence == ["E3"]


def test_paths_between_parties_are_bounded() -> None:
    graph = money.flow_graph(_flows())
    paths = money.flow_paths(graph, {"acct:A", "acct:B"}, max_hops=4)
    assert [p.accounts for p in paths] == [["acct:B", "acct:A"], ["acct:A", "acct:M", "acct:B"]]
    assert paths[1].amounts == [550.0, 540.0] and paths[1].evidence == ["E4", "E5"]
    assert money.flow_paths(graph, {"acct:A", "acct:B"}, max_hops=1) == paths[:1]


def _dated_flows() -> list[money.Flow]:
    # Five accounts pay A within a day (fan-in); A -> M -> B -> A within hours, keeping the amount (a cycle);
    # an undated transfer can show in no time-windowed pattern.
    day = "2023-03-0{}T{:02d}:00:00"
    flows = [money.Flow(f"acct:X{i}", "acct:A", 1000.0 * i, day.format(1, 8 + i), f"t{i}", (f"E{i}",))
             for i in range(1, 6)]
    return [*flows, money.Flow("acct:A", "acct:M", 50000.0, day.format(5, 9), "c1", ("E6",)),
            money.Flow("acct:M", "acct:B", 49500.0, day.format(5, 11), "c2", ("E7",)),
            money.Flow("acct:B", "acct:A", 49000.0, day.format(5, 15), "c3", ("E8",)),
            money.Flow("acct:B", "acct:Z", 7.0, None, "u1", ("E9",))]


def test_typologies_are_ring_detections_findings_on_the_parties_transfers() -> None:
    found = money.typologies(_dated_flows(), {"acct:A", "acct:B"})
    fan_in = next(t for t in found if t.kind == "fan_in")
    assert fan_in.accounts[0] == "acct:A" and set(fan_in.accounts) == {"acct:A", *(f"acct:X{i}" for i in range(1, 6))}
    assert fan_in.total == 15000.0 and set(fan_in.evidence) == {f"E{i}" for i in range(1, 6)}
    cycle = next(t for t in found if t.kind == "cycle")
    assert set(cycle.accounts) == {"acct:A", "acct:M", "acct:B"} and cycle.total == 148500.0
    assert set(cycle.evidence) == {"E6", "E7", "E8"}
    # the same detectors, called directly on the same graph, find the same patterns
    graph, _ = money.transfer_graph(_dated_flows())
    index = TransferIndex(graph, DetectionParams())
    assert {frozenset(f.members) for f in find_fan_in(index, DetectionParams())} == {frozenset(fan_in.accounts)}
    assert {frozenset(f.members) for f in find_cycles(index, DetectionParams())} == {frozenset(cycle.accounts)}
    assert "acct:Z" not in graph  # undated
    # patterns touching no party account are not the case's
    assert money.typologies(_dated_flows(), {"acct:elsewhere"}) == []


def test_sentence_is_cut_at_chinese_stops() -> None:
    text = "第一句话。被告人张三于2023年3月5日转账。第三句\n第四行"
    start = text.index("2023")
    assert sentence_at(text, start, start + 9) == "被告人张三于2023年3月5日转账。"
    assert sentence_at(text, text.index("第四")) == "第四行"
    long = "甲" * 400 + "关键" + "乙" * 400
    quote = sentence_at(long, 400, 402)
    assert "关键" in quote and len(quote) <= 162 and quote.startswith("…") and quote.endswith("…")


def test_page_of_offsets() -> None:
    assert page_of([0, 100, 250], 0) == 1 and page_of([0, 100, 250], 100) == 2 and page_of([0, 100, 250], 999) == 3
    assert page_of([], 5) is None
