"""The kind of a document, from its title."""

from __future__ import annotations

_TITLES = (
    ("行政处罚决定书", "penalty_decision"),
    ("处罚决定书", "penalty_decision"),
    ("起诉意见书", "prosecution_recommendation"),
    ("起诉书", "indictment"),
    ("判决书", "judgment"),
    ("裁定书", "judgment"),
    ("立案决定书", "filing_decision"),
    ("立案通知书", "filing_decision"),
    ("可疑交易报告", "str_report"),
    ("风险提示", "risk_alert"),
    ("风险预警", "risk_alert"),
    ("风险警示", "risk_alert"),
    ("提示函", "risk_alert"),
)
_TITLE_WINDOW = 200


def classify(text: str) -> str:
    """The document kind named by the title (the first lines), or "unknown"."""
    head = text[:_TITLE_WINDOW].replace(" ", "").replace("\u3000", "")
    best: tuple[int, str] | None = None
    for word, kind in _TITLES:
        position = head.find(word)
        if position >= 0 and (best is None or position < best[0]):
            best = (position, kind)
    return best[1] if best else "unknown"
