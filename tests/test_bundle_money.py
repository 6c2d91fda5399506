"""Pure parts of the bundle: money checks, quoting, the diagram layout."""

from __future__ import annotations

from casegraph.bundle import money
from casegraph.bundle.quotes import page_of, sentence_at


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


def test_typologies_fan_in_and_cycle() -> None:
    graph = money.flow_graph(_flows())
    found = money.typologies(graph, {"acct:A", "acct:B"})
    kinds = {(t.kind, t.accounts[0]) for t in found}
    assert ("fan_in", "acct:A") in kinds and ("fan_out", "acct:A") not in kinds
    cycle = next(t for t in found if t.kind == "cycle")
    assert cycle.accounts == ["acct:A", "acct:M", "acct:B"] and cycle.total == 1105.0


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
