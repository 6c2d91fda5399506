"""Why each member is in its ring: the edges of the findings that put it there, with their sources."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from casegraph.detect.findings import Finding
from casegraph.detect.params import DetectionParams

__all__ = ["describe_thresholds", "display_key", "explain_members"]

MAX_REASONS_PER_MEMBER = 12


def display_key(graph: nx.MultiDiGraph, key: str) -> str:
    """Accounts are reported by their number; every other node by its canonical key."""
    if graph.nodes[key].get("type") == "Account" and key.startswith("acct:"):
        return key[5:]
    return key


def explain_members(graph: nx.MultiDiGraph, members: frozenset[str],
                    findings: Iterable[Finding]) -> dict[str, list[dict[str, Any]]]:
    """member key -> reasons, one per (typology, edge type, direction, other end).

    A reason lists the transaction ids and the source documents/ledger rows of the edges it
    groups; at most `MAX_REASONS_PER_MEMBER` reasons per member, the rest counted in a final
    ``{"more": n}`` entry.
    """
    grouped: dict[str, dict[tuple[str, str, str, str], dict[str, Any]]] = {m: {} for m in members}
    for finding in findings:
        for src, dst, key in finding.edges:
            if src not in members or dst not in members:
                continue
            data = graph.edges[src, dst, key]
            for me, other, direction in ((src, dst, "out"), (dst, src, "in")):
                slot = (finding.typology, data["type"], direction, other)
                reason = grouped[me].get(slot)
                if reason is None:
                    reason = {"typology": finding.typology, "edge": data["type"], "direction": direction,
                              "other": display_key(graph, other), "tx_ids": [], "sources": []}
                    grouped[me][slot] = reason
                tx_id = data.get("tx_id")
                if tx_id and tx_id not in reason["tx_ids"]:
                    reason["tx_ids"].append(tx_id)
                for source in data.get("sources", ()):
                    if source not in reason["sources"]:
                        reason["sources"].append(source)
    explained: dict[str, list[dict[str, Any]]] = {}
    for member, reasons in grouped.items():
        listed = sorted(reasons.values(),
                        key=lambda r: (r["typology"], r["edge"], r["other"], r["direction"]))
        if len(listed) > MAX_REASONS_PER_MEMBER:
            listed = [*listed[:MAX_REASONS_PER_MEMBER], {"more": len(listed) - MAX_REASONS_PER_MEMBER}]
        explained[member] = listed
    return explained


_CLOCK_WORDS = {"day": "日", "minute": "分钟", "second": "秒"}


def _span(hours: float) -> str:
    if hours >= 24 and hours % 24 == 0:
        return f"{hours / 24:g} 天"
    return f"{hours:g} 小时" if hours >= 1 else f"{hours * 60:g} 分钟"


def describe_thresholds(typologies: Iterable[str], params: DetectionParams) -> list[str]:
    """The thresholds behind a ring's typologies, in words, saying which ones the ledger set."""
    profile = params.derived.get("profile", {})
    clock = _CLOCK_WORDS.get(profile.get("granularity", ""), "")
    source = f"（本流水时间粒度：{clock}）" if clock and params.thresholds == "ledger" else ""
    found = set(typologies)
    lines = []
    if found & {"cycle", "scatter_gather"}:
        lines.append(f"资金回流/分散-集中：窗口 {_span(params.window_hours)}{source}，每跳金额保留 "
                     f"{1 - params.hop_tolerance:.0%}–{1 + params.hop_gain:.0%}"
                     + ("，同日交易可先后相接" if params.same_time_ties else ""))
    if found & {"fan_in", "fan_out"}:
        lines.append(f"多对一/一对多：窗口 {_span(params.fan_window_hours)}{source}内至少 "
                     f"{params.fan_min_counterparties} 个对手，或一次性对手显著偏多"
                     f"（错误发现率 {params.one_off_fdr:g}，"
                     f"本流水一次性对手占比 {profile.get('one_off_share', 0):.1%}）")
    if "gather_scatter" in found:
        lines.append(f"集中-分散：窗口 {_span(params.gather_window_hours)}{source}")
    if "pass_through" in found:
        ledger = params.thresholds == "ledger"
        basis = f"（本流水金额 {params.pass_through_amount_quantile:.0%} 分位）" if ledger else ""
        lines.append(f"快进快出：{_span(params.pass_through_hours)}内转出{source}，单笔至少 "
                     f"{params.pass_through_min_amount:,.2f} 元{basis}")
    return lines
