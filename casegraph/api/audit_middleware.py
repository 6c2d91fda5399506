"""Exactly one audit record per authenticated /v1 call, written before the response leaves.

The record is written whatever the outcome (200, 403, 404, 422, 429, 500), as long as the caller
is known, i.e. the API key was valid: calls without a valid key have no "who" to record.
Routes add what only they know (action, purpose, returned keys) on `request.state`.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from fastapi.concurrency import run_in_threadpool
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from casegraph.access import Caller
from casegraph.graph.audit_log import AuditLog, AuditRecord

# Parameters never written to the log: secrets, and headers that are not the caller's statement.
_SECRET_PARAMS = frozenset({"key", "api_key", "token"})


def _params(request: Request) -> dict[str, Any]:
    params: dict[str, Any] = {k: v for k, v in request.query_params.multi_items() if k not in _SECRET_PARAMS}
    params.update({f"path.{k}": v for k, v in request.scope.get("path_params", {}).items()})
    body = getattr(request.state, "audit_body", None)
    if body:
        params.update({f"body.{k}": v for k, v in body.items() if k not in _SECRET_PARAMS})
    return params


class AuditMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if not request.url.path.startswith("/v1/"):
            return await call_next(request)
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            return response
        finally:
            caller: Caller | None = getattr(request.state, "caller", None)
            if caller is not None:
                route = request.scope.get("route")
                action = getattr(request.state, "action", None) or getattr(route, "name", None) or "unknown"
                record = AuditRecord(
                    user=caller.user, agency=caller.agency, role=caller.role, action=str(action),
                    method=request.method, path=request.url.path, params=_params(request),
                    purpose=getattr(request.state, "purpose", None),
                    returned=list(getattr(request.state, "returned", [])), status=status)
                log: AuditLog = request.app.state.audit_log
                await run_in_threadpool(log.append, record)
