"""Which rows of two statements are the same transfer.

A transfer between two queried accounts is in both statements: the payer's bank lists it as an
outflow, the payee's as an inflow. Banks number their rows each in their own way (交易流水号 of the
payer's bank is not the payee's; 交易序号 is a row count), so the serial cannot say which rows are
one transfer. What both statements agree on is the payer, the payee, the amount and the day; two
equal transfers on one day are told apart by their order in each statement (the first in one is the
first in the other). That is the identity: (payer, payee, amount in cents, day, k-th of its kind).
A statement is one queried account's rows: a bank's feedback file often holds several accounts', so
the payer's row and the payee's row of one transfer may sit in the same file.

The ingest path writes it as the TRANSFERRED relationship's `fid` (so a MERGE meets the other
statement's row), ring detection on ledgers and the Spark engine key their de-duplication on it.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Sequence
from typing import Any

# Days whose counts are kept when rows come in time order (statements list ascending or descending):
# a few, so that memory follows the rows of a day, not of the statement.
_DAYS_KEPT = 3


def cents(amount: float) -> int:
    return round(amount * 100)


BEIJING_OFFSET = 8 * 3600


def beijing_day(epoch: float) -> int:
    """The day number of an epoch time in Beijing, where statements keep their times."""
    return int((epoch + BEIJING_OFFSET) // 86400)


def transfer_fid(payer: str, payee: str, amount: float, day: str, nth: int) -> str:
    return f"{payer}>{payee}|{cents(amount)}|{day}|{nth}"


class SameDayCounter:
    """The k of each row: 0 for the first transfer of its payer, payee, amount and day in a statement.

    Counts are kept for the last few days of each statement only, since a statement is in time order
    (ascending or descending; a bank's file may hold several statements one after another). A
    statement out of order that comes back to a dropped day counts on from a fresh range (a million
    per return), so k never repeats within it: such rows may then fail to meet the other statement's
    copy (counted twice), but two different transfers are never one.
    """

    def __init__(self, days_kept: int | None = _DAYS_KEPT) -> None:
        """`days_kept` None keeps every day: k is then the row's rank among its kind in file order, as
        the Spark engine computes it (ring detection holds the whole ledger in memory anyway)."""
        self._days_kept = days_kept
        self._statements: dict[str, OrderedDict[object, dict[tuple[str, str, int], int]]] = {}
        self._returns: dict[tuple[str, object], int] = {}  # (statement, dropped day) -> times it came back

    def nth(self, payer: str, payee: str, amount: float, day: object, own: str = "") -> int:
        """k of this row; `own` is the queried account whose statement it is ("" for a payer/payee table)."""
        days = self._statements.get(own)
        if days is None:
            days = self._statements[own] = OrderedDict()
        counts = days.get(day)
        if counts is None:
            counts = days[day] = {}
            if (own, day) in self._returns:
                self._returns[own, day] += 1
            if self._days_kept is not None and len(days) > self._days_kept:
                old, _ = days.popitem(last=False)
                self._returns.setdefault((own, old), 0)
        key = (payer, payee, cents(amount))
        k = counts.get(key, 0)
        counts[key] = k + 1
        return self._returns.get((own, day), 0) * 1_000_000 + k


# Days a payee's bank may book a credit after the payer's bank booked the debit: an interbank transfer
# sent late on a Friday or before a public holiday is credited on the next working day (three days
# over a weekend; the clearing systems' holiday closures are longer, but rows that far apart are no
# longer told apart from two transfers with confidence).
LATE_CREDIT_DAYS = 3


def pair_late_credits(debits: Sequence[tuple[int, Any]], credits: Sequence[tuple[int, Any]],
                      window: int = LATE_CREDIT_DAYS) -> list[tuple[int, int]]:
    """Which debit each late credit is, among the transfers of one payer, payee and amount that only
    one statement saw: `debits` (Beijing day, place in reading order) only in the payer's statement, `credits` only in
    the payee's. A credit is the earliest unpaired debit one to `window` days before it, credits taken
    in time order (a bank books transfers in the order they came). Returns (debit, credit) positions.

    Only one-sided rows take part: a transfer both statements list on one day already met its other
    side through the same-day identity, so two equal transfers on consecutive days seen by both
    statements stay two.
    """
    by_time = sorted(range(len(debits)), key=debits.__getitem__)
    waiting: deque[int] = deque()
    pairs: list[tuple[int, int]] = []
    next_debit = 0
    for credit in sorted(range(len(credits)), key=credits.__getitem__):
        day = credits[credit][0]
        while next_debit < len(by_time) and debits[by_time[next_debit]][0] < day:
            waiting.append(by_time[next_debit])
            next_debit += 1
        while waiting and debits[waiting[0]][0] < day - window:
            waiting.popleft()
        if waiting:
            pairs.append((waiting.popleft(), credit))
    return pairs
