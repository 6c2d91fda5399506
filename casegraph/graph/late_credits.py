"""A credit the payee's bank booked days after the payer's bank booked the debit, joined in the graph.

An interbank transfer sent at 23:59 on a Friday is in the payer's statement on Friday and in the
payee's on Monday: the two rows have different days, hence different identities
(`transfer_identity`), and were two transfers. After each batch of statement rows is written, the
new rows that only one statement has listed look for a row of the other side of the same payer,
payee and amount, within `LATE_CREDIT_DAYS`, that only the other statement has listed;
`transfer_identity.pair_late_credits` pairs them as ring detection on ledgers does, and the debit's
relationship takes the credit's sources (the credit's is removed).
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
    asks = []
    for row in new_rows:
        if bool(row.get("debit")) == bool(row.get("credit")) or not isinstance(row.get("at"), str):
            continue  # both sides seen (or neither: a table, prose): nothing left to join
        day = _day(row["at"])
        lo, hi = (day, day + timedelta(days=LATE_CREDIT_DAYS + 1)) if row.get("debit") else \
            (day - timedelta(days=LATE_CREDIT_DAYS), day + timedelta(days=1))
        asks.append({"f": row["f"], "t": row["t"], "amount": row["amount"], "lo": lo.isoformat(),
                     "hi": hi.isoformat()})
    if not asks:
        return 0
    groups: dict[tuple[str, str, float], tuple[list[tuple[int, str, str]], list[tuple[int, str, str]]]] = {}
    for record in tx.run(cypher("late_credit_candidates"), rows=asks):
        debits, credits = groups.setdefault((record["f"], record["t"], record["cents"]), ([], []))
        (debits if record["debit"] else credits).append((_day(record["at"]).toordinal(), record["at"], record["id"]))
    pairs = []
    for debits, credits in groups.values():
        if debits and credits:
            debits.sort()
            credits.sort()
            pairs += [{"debit": debits[d][2], "credit": credits[c][2]}
                      for d, c in pair_late_credits([(day, at) for day, at, _ in debits],
                                                    [(day, at) for day, at, _ in credits])]
    if pairs:
        tx.run(cypher("late_credits_fold"), pairs=pairs).consume()
    return len(pairs)
