"""Shedding under overload: admission decided before any work, against a bound on calls in flight
that follows the measured service time.

Past the bound a call is answered at once with 503 `overloaded` and `Retry-After` (in the header
and the body), instead of joining a queue where every caller waits seconds and none is told to
retry (issue 22: offered twice its capacity, the API answered with p50 14 s). This is the outermost
ASGI layer, so a shed call costs no parsing, key check, database or audit, and its answer is built
once at start (one body per language): the shed path allocates nothing per call. Only calls that do
work are shed (`/v1/`, the workbench's `/web/` sign-in): /health stays answered, so a load balancer
still sees the process alive, and the workbench's page and static files are cheap file reads whose
loss would break the page in the browser. A shed call has done nothing, so a client may repeat it
after `Retry-After` whatever its method (the workbench's api.js does).

The bound (`AdaptiveLimit`) follows the calls' own latency, as Netflix's concurrency-limits
(Gradient2Limit) sets it: a short average of the time calls take is compared with a long one (what
this process takes when it is not queueing, on this machine with its neighbours); while the short is
more than `TOLERANCE` times the long, calls are queueing inside the process and the bound shrinks in
proportion, else it grows by a little headroom (√bound). By Little's law the calls in flight are
throughput × time in the system, so the bound that keeps the time at its unqueued level is what the
worker can answer in that time. A call slower than the latency goal (CASEGRAPH_API_LATENCY_GOAL_MS)
cuts it too. Without a goal (the default until it is measured on an idle machine) the bound is the
ceiling, as before. It stays between `FLOOR` (so a slow machine still works) and CASEGRAPH_API_MAX_IN_FLIGHT.
One event loop per process: plain counters are exact.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from casegraph.api.errors import error_json, scope_language
from casegraph.i18n import N_

SHED_RETRY_AFTER_S = 1
_SHED_PREFIXES = ("/v1/", "/web/")  # the calls that do work; everything else is a file or /health
_SHED_MESSAGE = N_("the server is at capacity; retry shortly")


class AdaptiveLimit:
    """The bound on calls in flight, from the latency of the calls answered."""

    FLOOR = 2
    TOLERANCE = 2.0  # short-term latency this many times the long-term one means queueing
    SHORT, LONG = 0.1, 0.005  # weights of a new sample in the short and the long average
    SMOOTHING = 0.2

    def __init__(self, ceiling: int, goal_s: float | None) -> None:
        self.ceiling, self.goal_s = ceiling, goal_s
        self.limit = float(ceiling)
        self.short: float | None = None
        self.long: float | None = None

    @property
    def bound(self) -> int:
        return max(self.FLOOR, min(self.ceiling, int(self.limit)))

    def answered(self, seconds: float) -> None:
        """A call took `seconds` in this process (no goal: the bound stays at its ceiling)."""
        if self.goal_s is None:
            return
        if self.short is None or self.long is None:
            self.short = self.long = seconds
            return
        self.short += self.SHORT * (seconds - self.short)
        # the long average follows rises slowly, falls at once: it stands for the unqueued time
        self.long = seconds if seconds < self.long else self.long + self.LONG * (seconds - self.long)
        gradient = max(0.5, min(1.0, self.TOLERANCE * self.long / self.short))
        if self.short > self.goal_s:
            gradient = min(gradient, max(0.5, self.goal_s / self.short))
        target = self.limit * gradient + (self.limit ** 0.5 if gradient >= 1.0 else 0.0)
        self.limit = max(float(self.FLOOR), min(float(self.ceiling),
                                                self.limit + self.SMOOTHING * (target - self.limit)))


def _shed_messages(language: str) -> tuple[Message, Message]:
    body = error_json("overloaded", _SHED_MESSAGE, {"headers": [(b"accept-language", language.encode())]},
                      retry_after_s=SHED_RETRY_AFTER_S)
    start: Message = {"type": "http.response.start", "status": 503,
                      "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                  (b"retry-after", str(SHED_RETRY_AFTER_S).encode())]}
    return start, {"type": "http.response.body", "body": body}


class InFlightLimit:
    def __init__(self, app: ASGIApp, max_in_flight: int, latency_goal_ms: float | None = None) -> None:
        self.app = app
        self.limit = AdaptiveLimit(max_in_flight, latency_goal_ms / 1000 if latency_goal_ms else None)
        self.in_flight = 0
        self.shed = 0  # calls answered 503 since start, for the log and benchmarks
        self._answers = {language: _shed_messages(language) for language in ("zh", "en")}

    @property
    def max_in_flight(self) -> int:
        return self.limit.bound

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(_SHED_PREFIXES):
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit.bound:
            self.shed += 1
            start, body = self._answers["en" if _asks_english(scope) else "zh"]
            await send(start)
            await send(body)
            return
        self.in_flight += 1
        started = time.monotonic()
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
            if not scope["path"].endswith("/stream"):  # an event stream's life is no service time
                self.limit.answered(time.monotonic() - started)


def _asks_english(scope: Scope) -> bool:
    """Whether Accept-Language prefers English; no header (the common case) costs one scan."""
    return any(name == b"accept-language" for name, _ in scope["headers"]) and scope_language(scope) == "en"
