"""Small tests of significance the detectors share."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import TypeVar

__all__ = ["binomial_tail", "fdr_select"]

Key = TypeVar("Key", bound=Hashable)


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), summed in log space (n is a counterparty count)."""
    if k <= 0:
        return 1.0
    if p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p)
    total = 0.0
    for i in range(k, n + 1):
        total += math.exp(math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1)
                          + i * log_p + (n - i) * log_q)
    return min(total, 1.0)


def fdr_select(p_values: Mapping[Key, float], tests: int, rate: float) -> set[Key]:
    """Benjamini-Hochberg: the keys whose p-values are discoveries at false discovery `rate`."""
    ranked = sorted(p_values.items(), key=lambda item: item[1])
    cut = 0
    for rank, (_key, value) in enumerate(ranked, start=1):
        if value <= rank * rate / tests:
            cut = rank
    return {key for key, _value in ranked[:cut]}
