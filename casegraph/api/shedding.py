"""Shedding under overload: at most CASEGRAPH_API_MAX_IN_FLIGHT calls in flight per API process.

Past the bound a call is answered at once with 503 `overloaded` and `Retry-After` (in the header
and the body), instead of joining a queue where every caller waits seconds and none is told to
retry (issue 22: offered twice its capacity, the API answered with p50 14 s). The outermost layer,
so a shed call costs no parsing, key check or audit; /health is never shed, so a load balancer
still sees the process alive. One event loop per process: a plain counter is exact.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from casegraph.api.errors import send_error
from casegraph.i18n import N_

SHED_RETRY_AFTER_S = 1


class InFlightLimit:
    def __init__(self, app: ASGIApp, max_in_flight: int) -> None:
        self.app, self.max_in_flight = app, max_in_flight
        self.in_flight = 0
        self.shed = 0  # calls answered 503 since start, for the log and benchmarks

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == "/health":
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.max_in_flight:
            self.shed += 1
            await send_error(send, 503, "overloaded",
                             N_("the server is at capacity ({max_in_flight} calls in flight); retry shortly").format(
                                 max_in_flight=self.max_in_flight), scope,
                             headers=[(b"retry-after", str(SHED_RETRY_AFTER_S).encode())],
                             retry_after_s=SHED_RETRY_AFTER_S)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
