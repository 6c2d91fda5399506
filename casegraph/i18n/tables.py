"""Rings as a readable table, the same in `rings list|show` and `detect rings --format text`."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from casegraph.i18n import N_, gettext
from casegraph.i18n.formats import format_amount, word

# The ring table's columns: (field, heading msgid), the same fields as GET /v1/rings.
RING_COLUMNS = (("id", N_("ring")), ("score", N_("score")), ("visible_members", N_("members")),
                ("typologies", N_("typologies")), ("regions", N_("regions")), ("total_amount", N_("money moved")),
                ("status", N_("review")))


def _ring_cell(ring: dict[str, Any], field: str) -> str:
    value = ring.get(field)
    if field == "total_amount":
        return format_amount(value) if value is not None else ""
    if field == "score":
        return f"{value:.2f}" if isinstance(value, int | float) else ""
    if field == "visible_members" and value is None:
        return str(len(ring.get("members") or []))
    if isinstance(value, list):
        return ", ".join(word(str(v)) for v in value)
    return word(str(value)) if value is not None else ""


def ring_table(rings: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=title)
    for field, heading in RING_COLUMNS:
        table.add_column(gettext(heading), justify="right" if field in ("score", "total_amount") else "left",
                         no_wrap=field == "id")
    for ring in rings:
        table.add_row(*(_ring_cell(ring, field) for field, _ in RING_COLUMNS))
    return table
