"""Shedding under overload: admission decided before any work, against a bound on calls in flight
that follows the measured service time.

Past the bound a call is answered at once with 503 `overloaded` and `Retry-After` (in the header
and the body), instead of joining a queue where every caller waits seconds and none is told to
retry (issue 22: offered twice its capacity, the API answered with p50 14 s). This is the outermost
ASGI layer, so a shed call costs no parsing, key check, database or audit, and its answer is built
once at start (one body per language): the shed path allocates nothing per call. /health is never
shed, so a load balancer still sees the process alive.

The bound (`AdaptiveLimit`) is additive-increase, multiplicative-decrease on latency, the scheme of
TCP congestion control and of Netflix's concurrency-limits (AIMDLimit): a call answered within the
latency goal while the bound was what held calls back raises it by 1/bound (one a bound's worth of
calls), a call slower than the goal cuts it by a quarter, at most once per goal-long window, so one
slow burst is not counted many times. By Little's law the calls in flight are throughput × time in
the system, so a bound that keeps the time within the goal is what the worker can answer in it;
measured, it settles where it is, whatever the machine and its neighbours. CASEGRAPH_API_MAX_IN_FLIGHT
is its ceiling, CASEGRAPH_API_LATENCY_GOAL_MS the goal. One event loop per process: plain counters are exact.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from casegraph.api.errors import error_json, scope_language
from casegraph.i18n import N_

SHED_RETRY_AFTER_S = 1
_SHED_MESSAGE = N_("the server is at capacity; retry shortly")
_DECREASE = 0.75


class AdaptiveLimit:
    """The bound on calls in flight, from the latency of the calls answered."""

    def __init__(self, ceiling: int, goal_s: float, floor: int = 1,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ceiling, self.goal_s, self.floor, self.clock = ceiling, goal_s, floor, clock
        self.limit = float(ceiling)
        self._last_cut = float("-inf")

    @property
    def bound(self) -> int:
        return max(self.floor, int(self.limit))

    def answered(self, seconds: float, in_flight: int) -> None:
        """A call took `seconds`; `in_flight` calls (itself included) were in flight when it was admitted."""
        if seconds > self.goal_s:
            now = self.clock()
            if now - self._last_cut >= self.goal_s:
                self._last_cut = now
                self.limit = max(float(self.floor), self.limit * _DECREASE)
        elif in_flight >= self.bound:  # grow only when the bound was what held calls back
            self.limit = min(float(self.ceiling), self.limit + 1.0 / self.limit)


def _shed_messages(language: str) -> tuple[Message, Message]:
    body = error_json("overloaded", _SHED_MESSAGE, {"headers": [(b"accept-language", language.encode())]},
                      retry_after_s=SHED_RETRY_AFTER_S)
    start: Message = {"type": "http.response.start", "status": 503,
                      "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                  (b"retry-after", str(SHED_RETRY_AFTER_S).encode())]}
    return start, {"type": "http.response.body", "body": body}


class InFlightLimit:
    def __init__(self, app: ASGIApp, max_in_flight: int, latency_goal_ms: float = 100.0) -> None:
        self.app = app
        self.limit = AdaptiveLimit(max_in_flight, latency_goal_ms / 1000)
        self.in_flight = 0
        self.shed = 0  # calls answered 503 since start, for the log and benchmarks
        self._answers = {language: _shed_messages(language) for language in ("zh", "en")}

    @property
    def max_in_flight(self) -> int:
        return self.limit.bound

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == "/health":
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit.bound:
            self.shed += 1
            start, body = self._answers["en" if _asks_english(scope) else "zh"]
            await send(start)
            await send(body)
            return
        self.in_flight += 1
        admitted_with = self.in_flight
        started = time.monotonic()
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
            self.limit.answered(time.monotonic() - started, admitted_with)


def _asks_english(scope: Scope) -> bool:
    """Whether Accept-Language prefers English; no header (the common case) costs one scan."""
    return any(name == b"accept-language" for name, _ in scope["headers"]) and scope_language(scope) == "en"
