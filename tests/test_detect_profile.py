"""Thresholds that follow the ledger: clock granularity, span, amount quantiles, recorded and said in words."""

from __future__ import annotations

from datetime import datetime, timedelta

import networkx as nx

from casegraph.detect.cycles import find_cycles
from casegraph.detect.one_off import find_one_off_cycles
from casegraph.detect.params import DetectionParams
from casegraph.detect.profile import follow_ledger, profile_ledger
from casegraph.detect.rings import find_rings
from casegraph.detect.transfers import TransferIndex
from casegraph.graph.ledgers import CHINA_TZ

START = datetime(2023, 3, 1, tzinfo=CHINA_TZ)


def _graph(transfers: list[tuple[str, str, float, datetime]]) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for n, (src, dst, amount, at) in enumerate(transfers):
        for key in (src, dst):
            g.add_node(key, type="Account")
        g.add_edge(src, dst, key=n, type="TRANSFERRED", amount=amount, at=at.timestamp(), tx_id=f"T{n}",
                   memo=None, sources=[])
    return g


def _day_ledger() -> nx.MultiDiGraph:
    """Whole-day stamps over 90 days, amounts in the tens of yuan, and a 3-cycle closed within one day."""
    rows = [(f"acct:{n % 7}", f"acct:{(n * 3 + 1) % 7}", 20.0 + n % 50, START + timedelta(days=n % 90))
            for n in range(300) if n % 7 != (n * 3 + 1) % 7]
    day = START + timedelta(days=40)
    rows += [("acct:A", "acct:B", 60.0, day), ("acct:B", "acct:C", 59.0, day), ("acct:C", "acct:A", 58.5, day)]
    return _graph(rows)


def test_profile_reads_clock_span_and_amounts() -> None:
    index = TransferIndex(_day_ledger(), DetectionParams())
    profile = profile_ledger(index)
    assert profile.granularity == "day"
    assert 88 <= profile.span_days <= 90
    assert 20 <= profile.amount_quantiles["q10"] < profile.amount_quantiles["q90"] <= 70
    seconds = _graph([("acct:x", "acct:y", 5_000.0, START + timedelta(seconds=17 * n + 3)) for n in range(50)])
    assert profile_ledger(TransferIndex(seconds, DetectionParams())).granularity == "second"


def test_ledger_thresholds_are_derived_recorded_and_optional() -> None:
    index = TransferIndex(_day_ledger(), DetectionParams())
    derived = follow_ledger(DetectionParams(), profile_ledger(index))
    assert derived.same_time_ties and derived.pass_through_min_amount < 100  # the ledger's own scale
    assert "pass_through" in derived.disabled_detectors  # "within 24 h" is not readable from whole days
    assert derived.derived["profile"]["granularity"] == "day"
    assert derived.as_record()["derived"]["changed"]["same_time_ties"] is True
    absolute = follow_ledger(DetectionParams(thresholds="absolute"), profile_ledger(index))
    assert absolute.pass_through_min_amount == 1000.0 and not absolute.same_time_ties
    assert absolute.derived["profile"]["granularity"] == "day"


def test_same_day_cycle_is_found_and_explained_in_words() -> None:
    result = find_rings(_day_ledger())
    ring = next(r for r in result.above_threshold() if {m.key for m in r.members} == {"A", "B", "C"})
    assert "cycle" in ring.typologies
    assert any("窗口 10 天（本流水时间粒度：日）" in line and "同日交易可先后相接" in line for line in ring.explanation)
    # With absolute thresholds the time-ordered search cannot chain same-day hops; the cycle is still
    # found, from its three relationships being one-off among habitual ones, not from its timing.
    absolute = DetectionParams(thresholds="absolute")
    assert not find_cycles(TransferIndex(_day_ledger(), absolute), absolute)
    ties = DetectionParams(thresholds="absolute", same_time_ties=True)
    assert find_cycles(TransferIndex(_day_ledger(), ties), ties)
    found = find_one_off_cycles(TransferIndex(_day_ledger(), absolute), absolute)
    assert [f.members for f in found] == [frozenset({"acct:A", "acct:B", "acct:C"})]
