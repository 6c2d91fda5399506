"""Accounts whose one-off counterparties are their ordinary business: shops, clinics, ticket sellers.

A shop is paid once by each of hundreds of customers: measured against a ledger where most
pairs deal again and again, it looks like the biggest fan-in there is, and its customers would
glue unrelated groups into one ring. What tells it apart is not a count but its own history:
- its one-off counterparties are most of its counterparties on that side (its business), and
- they arrive steadily over the account's life: no window holds significantly more of them than
  a constant pace explains (`burst_p_value`, judged over every side that looks like a shop at
  once, since among dozens of shops one will have a busy month by chance).
A planted fan differs on the second point: its one-off counterparties crowd into one stretch of
an account that otherwise deals with its usual partners (or with no one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from casegraph.detect.stats import Key, binomial_tail

__all__ = ["burst_p_value", "merchant_like"]


def burst_p_value(times: Sequence[float], start: float, end: float, granule: float) -> float:
    """How unlikely it is that most of `times` crowd into one stretch if they were spread evenly
    over [start, end].

    For window widths of the clock's granule doubled until they span the account's life, the
    most points one window holds, `k` of `K`, against Binomial(K, width / life); the smallest tail,
    corrected for the number of window positions (life / width) and of widths tried, capped at 1.
    Only windows holding at least half of the points count: a shop's busy fortnight is a local
    excess of a steady stream, a fan is where the bulk of an account's one-off counterparties are.
    """
    points = sorted(times)
    total = len(points)
    life = max(end - start, granule)
    if total < 2:
        return 1.0
    widths = []
    width = max(granule, 1.0)
    while width < life:
        widths.append(width)
        width *= 2.0
    best = 1.0
    for width in widths:
        most, lo = 0, 0
        for hi, at in enumerate(points):
            while at - points[lo] >= width:
                lo += 1
            most = max(most, hi - lo + 1)
        if 2 * most < total:
            continue
        tail = binomial_tail(most, total, width / life) * (life / width) * len(widths)
        best = min(best, tail)
    return best


def merchant_like(sides: Mapping[Key, Sequence[float]], counterparties: Mapping[Key, int],
                  lives: Mapping[Key, tuple[float, float]], granule: float, rate: float) -> set[Key]:
    """The sides whose one-off counterparties (their times in `sides`) are the majority of their
    `counterparties` and arrive at a steady pace over the account's life.

    "Steady" is judged among all such sides at once: a side is a burst when its `burst_p_value` is
    below `rate` / the number of sides (Bonferroni: the chance that any steady shop is taken for a
    burst stays below `rate`; one such mistake turns a shop's hundred customers into a ring, and
    a false discovery rate would let the planted fans' tiny p-values pull the shops' in).
    """
    majority = {side: times for side, times in sides.items() if 2 * len(times) > counterparties[side]}
    return {side for side, times in majority.items()
            if burst_p_value(times, *lives[side], granule) * len(majority) > rate}
