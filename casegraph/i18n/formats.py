"""Dates, amounts and the graph's machine words as a Chinese reader expects them (English on request).

2024年3月5日; 1,234,567.00 元, or 123.46 万元 / 1.23 亿元 where a figure is read at a glance;
typology, edge and role ids (`fan_in`, `TRANSFERRED`, `defendant`) as words.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from casegraph.i18n import N_, current_language, gettext

# Machine ids a reader meets in rings, bundles and tables: id → English word (the msgid).
WORDS = {
    # ring typologies
    "shared_identifier": N_("shared identifiers"), "control_network": N_("control network"),
    "cycle": N_("fund cycle"), "fan_in": N_("fan-in"), "fan_out": N_("fan-out"),
    "scatter_gather": N_("scatter-gather"), "gather_scatter": N_("gather-scatter"),
    "pass_through": N_("fast pass-through"), "holds": N_("account holder"),
    # relationships
    "TRANSFERRED": N_("transfer"), "HOLDS": N_("holds account"), "USES": N_("uses phone"),
    "LOCATED_AT": N_("located at"), "LEGAL_REP_OF": N_("legal representative of"),
    "SHAREHOLDER_OF": N_("shareholder of"), "CONTROLS": N_("controls"), "EMPLOYED_BY": N_("employed by"),
    "ROLE_IN": N_("party to case"),
    # node labels
    "Person": N_("person"), "Organization": N_("organisation"), "Account": N_("account"), "Phone": N_("phone"),
    "Address": N_("address"), "Case": N_("case"), "Document": N_("document"),
    # review
    "confirmed": N_("confirmed"), "dismissed": N_("dismissed"), "open": N_("open"), "new": N_("not reviewed"),
    # access requests
    "pending": N_("pending"), "approved": N_("approved"), "denied": N_("denied"),
}


def word(machine_id: str, language: str | None = None) -> str:
    """A machine id as a word of the reader's language (the id itself when unknown)."""
    english = WORDS.get(machine_id)
    return gettext(english, language) if english else machine_id


def format_date(value: date | datetime | str | None, language: str | None = None) -> str:
    """2024年3月5日 (zh) or 2024-03-05 (en); a text that is not an ISO date stays as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    if (language or current_language()) == "en":
        return value.strftime("%Y-%m-%d")
    return f"{value.year}年{value.month}月{value.day}日"


def format_amount(yuan: float | int | None, language: str | None = None) -> str:
    """1,234,567.00 元 (zh) or CNY 1,234,567.00 (en)."""
    if yuan is None:
        return ""
    if (language or current_language()) == "en":
        return f"CNY {yuan:,.2f}"
    return f"{yuan:,.2f} 元"


def format_amount_short(yuan: float | int | None, language: str | None = None) -> str:
    """123.46 万元 or 1.23 亿元 from 10,000 yuan up (zh); CNY 1.23 m (en); smaller sums in full."""
    if yuan is None:
        return ""
    english = (language or current_language()) == "en"
    if abs(yuan) >= 100_000_000:
        return f"CNY {yuan / 1_000_000:,.2f} m" if english else f"{yuan / 100_000_000:,.2f} 亿元"
    if abs(yuan) >= 10_000:
        return f"CNY {yuan / 1_000_000:,.2f} m" if english else f"{yuan / 10_000:,.2f} 万元"
    return format_amount(yuan, language)


def member_role(why: list[dict[str, Any]], language: str | None = None) -> str:
    """A ring member's part in it, from its stored reasons: `资金闭环：转出至 acct:…；…`."""
    english = (language or current_language()) == "en"
    parts = []
    for reason in why:
        if "more" in reason:
            parts.append(gettext("and {n} more", language).format(n=reason["more"]))
            continue
        edge, direction = reason.get("edge", ""), reason.get("direction", "")
        if edge == "TRANSFERRED":
            template = N_("transferred to {other}") if direction == "out" else N_("received from {other}")
        elif direction == "out":
            template = N_("{edge} {other}")
        else:
            template = N_("{other}: {edge}")
        text = gettext(template, language).format(other=reason.get("other", ""), edge=word(edge, language))
        parts.append(f"{word(reason.get('typology', ''), language)}{': ' if english else '：'}{text}")
    return ("; " if english else "；").join(parts)
