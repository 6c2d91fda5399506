"""A credit the payee's bank booked days after the payer's bank booked the debit, joined in the graph.

An interbank transfer sent at 23:59 on a Friday is in the payer's statement on Friday and in the
payee's on Monday: the two rows have different days, hence different identities
(`transfer_identity`), and were two transfers. After each batch of statement rows is written, the
new rows that only one statement has listed ask whether a row of the other side of the same payer,
payee and amount, within `LATE_CREDIT_DAYS`, only the other statement has listed (most have none, and
cost one index lookup each); for those that have, every one-sided row of that payer, payee and amount
around them is read and `transfer_identity.pair_late_credits` pairs them as ring detection on ledgers
does. The debit's relationship takes the credit's sources (the credit's is removed).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from neo4j import ManagedTransaction

from casegraph.graph.queries import cypher
from casegraph.graph.transfer_identity import LATE_CREDIT_DAYS, pair_late_credits

__all__ = ["fold_late_credits"]


def _day(at: str) -> date:
    return date.fromisoformat(at[:10])


def fold_late_credits(tx: ManagedTransaction, new_rows: Sequence[dict[str, Any]]) -> int:
    """Join the late credits among `new_rows` (transfer rows just created) and their debits; how many."""
    window = timedelta(days=LATE_CREDIT_DAYS)
    asks, days = [], []
    for row in new_rows:
        if bool(row.get("debit")) == bool(row.get("credit")) or not isinstance(row.get("at"), str):
            continue  # both sides seen (or neither: a table, prose): nothing left to join
        day, debit = _day(row["at"]), bool(row.get("debit"))
        lo, hi = (day + timedelta(days=1), day + window + timedelta(days=1)) if debit else (day - window, day)
        own, other = (row["f"], row["t"]) if debit else (row["t"], row["f"])
        asks.append({"f": row["f"], "t": row["t"], "own": own, "other": other, "cents": round(row["amount"] * 100),
                     "debit": debit, "lo": lo.isoformat(), "hi": hi.isoformat()})
        days.append(day)
    if not asks:
        return 0
    wanted = {(r["f"], r["t"], r["cents"]) for r in tx.run(cypher("late_credit_candidates"), rows=asks)}
    if not wanted:
        return 0
    spans: dict[tuple[str, str, float], list[date]] = {}
    for ask, day in zip(asks, days, strict=True):
        kind = (ask["f"], ask["t"], ask["cents"])
        if kind in wanted:
            spans.setdefault(kind, []).append(day)
    groups = [{"f": f, "t": t, "cents": cents, "lo": (min(days) - window).isoformat(),
               "hi": (max(days) + window + timedelta(days=1)).isoformat()} for (f, t, cents), days in spans.items()]
    sides: dict[tuple[str, str, float], tuple[list[tuple[int, str, str]], list[tuple[int, str, str]]]] = {}
    for record in tx.run(cypher("late_credits_of_groups"), groups=groups):
        debits, credits = sides.setdefault((record["f"], record["t"], record["cents"]), ([], []))
        (debits if record["debit"] else credits).append((_day(record["at"]).toordinal(), record["at"], record["id"]))
    pairs = []
    for debits, credits in sides.values():
        debits.sort()
        credits.sort()
        pairs += [{"debit": debits[d][2], "credit": credits[c][2]}
                  for d, c in pair_late_credits([(day, at) for day, at, _ in debits],
                                                [(day, at) for day, at, _ in credits])]
    if pairs:
        tx.run(cypher("late_credits_fold"), pairs=pairs).consume()
    return len(pairs)
