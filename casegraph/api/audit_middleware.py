"""Exactly one audit record per authenticated /v1 call, durable before the response leaves.

The record is written whatever the outcome (200, 403, 404, 422, 429, 500), as long as the caller
is known, i.e. the API key was valid: calls without a valid key have no "who" to record.
Routes add what only they know (action, purpose, returned keys) on `request.state`. When the
record cannot be made durable (written and fsynced in the process's audit spool, from which it is
shipped to Neo4j's chain: graph/audit_log.py) the answer is withheld and the caller gets 503
`audit_unavailable`.

A plain ASGI middleware rather than Starlette's BaseHTTPMiddleware: it holds back the response's
first message (status and headers) until the record is durable, so no byte of an answer leaves
before it, and it waits for the spool on the event loop instead of parking a threadpool thread
(BaseHTTPMiddleware also costs an extra task and stream per call).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from casegraph.access import Caller
from casegraph.api.errors import send_error
from casegraph.api.v1_middleware import V1Middleware
from casegraph.graph.audit_log import AuditLog, AuditRecord, AuditWriteFailed

logger = logging.getLogger(__name__)

# Parameters never written to the log: secrets, and headers that are not the caller's statement.
_SECRET_PARAMS = frozenset({"key", "api_key", "token"})


def _state(request: Request) -> dict[str, Any]:
    """What the route set on `request.state`, as the dict behind it: `getattr(request.state, name,
    default)` raises and catches an AttributeError for every name a route did not set."""
    state: dict[str, Any] = request.scope.setdefault("state", {})
    return state


def _params(request: Request, state: dict[str, Any]) -> dict[str, Any]:
    # The query string as the route's dependency already parsed it (auth.py `access_for` leaves it
    # on the shared state): parsing it a second time here was ~2 % of a lookup's API CPU.
    query = state.get("query_params") or request.query_params
    params: dict[str, Any] = {k: v for k, v in query.multi_items() if k not in _SECRET_PARAMS}
    params.update({f"path.{k}": v for k, v in request.scope.get("path_params", {}).items()})
    body = state.get("audit_body")
    if body:
        params.update({f"body.{k}": v for k, v in body.items() if k not in _SECRET_PARAMS})
    return params


# What `request.url.path` would escape or drop when it rebuilds and re-splits the whole URL.
_URL_REWRITES = re.compile(r"[?#\\\t\r\n]|^//")


def audited_path(request: Request) -> str:
    """The request's path as `request.url.path` gives it, without building the URL (~2 % of a lookup's
    API CPU) when nothing in it would be rewritten."""
    path: str = request.scope["path"]
    return request.url.path if _URL_REWRITES.search(path) else path


def _record(request: Request, caller: Caller, status: int) -> AuditRecord:
    route, state = request.scope.get("route"), _state(request)
    action = state.get("action") or getattr(route, "name", None) or "unknown"
    return AuditRecord(
        user=caller.user, agency=caller.agency, role=caller.role, action=str(action),
        method=request.method, path=audited_path(request), params=_params(request, state),
        purpose=state.get("purpose"), returned=list(state.get("returned", [])), status=status)


async def _send_unrecorded(scope: Scope, send: Send) -> None:
    await send_error(send, 503, "audit_unavailable",
                     "the call could not be written to the audit log, so it is not answered", scope)


class AuditMiddleware(V1Middleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)  # shares scope["state"] with the route's Request: sees what it set
        recorded = replaced = False
        # None only in an app whose lifespan did not run; then no call can be attributed either
        # (the key check needs the driver the lifespan opens).
        log: AuditLog | None = getattr(scope["app"].state, "audit_log", None)

        async def record(status: int) -> None:
            nonlocal recorded
            recorded = True  # set first: a failed append must not be retried as a second record
            caller: Caller | None = _state(request).get("caller")
            if caller is not None:
                if log is None:
                    raise AuditWriteFailed("no audit log: the app's lifespan has not run")
                await log.append_async(_record(request, caller, status))

        async def send_after_record(message: Message) -> None:
            nonlocal replaced
            if replaced:  # the answer was withheld: drop the rest of its body
                return
            if message["type"] == "http.response.start" and not recorded:
                try:
                    await record(int(message["status"]))
                except AuditWriteFailed as exc:
                    # No record, no answer: the caller gets an error instead of what it asked for.
                    logger.error("audit append failed; answer withheld: %s", exc)
                    replaced = True
                    await _send_unrecorded(scope, send)
                    return
            await send(message)

        try:
            await self.app(scope, receive, send_after_record)
        except BaseException:
            if not recorded:  # nothing was answered; the outer error handler will answer 500
                await record(500)
            raise
        if not recorded:  # an app that answered nothing still made an attributable call
            await record(500)
