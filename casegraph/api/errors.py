"""One error body for every failure: {"error": {"code", "message"}}, never a stack trace."""

from __future__ import annotations

import json
import logging
import math

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Send

from casegraph.errors import (
    CasegraphError,
    Conflict,
    DatabaseUnavailable,
    Forbidden,
    InvalidInput,
    NotFound,
    RateLimited,
    Unauthorized,
)
from casegraph.failures import report, without_paths
from casegraph.graph.connection import DRIVER_FAILURES, unavailable_error

log = logging.getLogger("casegraph.api")

_STATUS: list[tuple[type[CasegraphError], int, str]] = [
    (DatabaseUnavailable, 503, "database_unavailable"),
    (NotFound, 404, "not_found"),
    (InvalidInput, 422, "invalid_input"),
    (Unauthorized, 401, "unauthorized"),
    (Forbidden, 403, "forbidden"),
    (Conflict, 409, "conflict"),
    (RateLimited, 429, "rate_limited"),
]


def error_body(code: str, message: str, **extra: object) -> dict[str, object]:
    return {"error": {"code": code, "message": message, **extra}}


def error_json(code: str, message: str) -> bytes:
    return json.dumps(error_body(code, message), ensure_ascii=False).encode("utf-8")


async def send_error(send: Send, status: int, code: str, message: str,
                     headers: list[tuple[bytes, bytes]] | None = None, **extra: object) -> None:
    """An error answer sent by a plain ASGI middleware, outside FastAPI's handlers."""
    body = json.dumps(error_body(code, message, **extra), ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


def status_of(exc: BaseException) -> int:
    for cls, status, _ in _STATUS:
        if isinstance(exc, cls):
            return status
    if isinstance(exc, StarletteHTTPException):
        return exc.status_code
    if isinstance(exc, RequestValidationError):
        return 422
    return 500


def retry_after_header(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))


def _headers(exc: CasegraphError) -> dict[str, str] | None:
    if isinstance(exc, Unauthorized):
        return {"WWW-Authenticate": "Bearer"}
    if isinstance(exc, RateLimited):
        return {"Retry-After": retry_after_header(exc.retry_after_s)}
    return None


def _message(exc: CasegraphError) -> str:
    if isinstance(exc, DatabaseUnavailable):  # the detail (URI, driver's exception) is the log's
        return "the database does not answer; try again shortly"
    return without_paths(str(exc))


def _extra(exc: CasegraphError) -> dict[str, object]:
    if isinstance(exc, RateLimited):
        return {"retry_after_s": int(retry_after_header(exc.retry_after_s))}
    if isinstance(exc, DatabaseUnavailable):
        return {"hint": "GET /health says when the database answers again"}
    return {}


def _internal(request: Request, exc: BaseException) -> JSONResponse:
    """500 with a reference to the traceback in the server's log, and nothing of it in the body."""
    settings = getattr(request.app.state, "settings", None)
    ref = report(exc, f"{request.method} {request.scope.get('path', '')}", settings.log_dir if settings else None)
    return JSONResponse(error_body("internal_error", "an unexpected error occurred; it has been logged",
                                   hint="give the reference to an administrator", ref=ref), status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CasegraphError)
    async def _casegraph(request: Request, exc: CasegraphError) -> JSONResponse:
        for cls, status, code in _STATUS:
            if isinstance(exc, cls):
                if isinstance(exc, DatabaseUnavailable):
                    log.warning("%s %s: %s", request.method, request.scope.get("path", ""), exc)
                return JSONResponse(error_body(code, _message(exc), **_extra(exc)), status_code=status,
                                    headers=_headers(exc))
        return _internal(request, exc)

    async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
        # The driver's connection failures, wherever in a call they happen: 503, as DatabaseUnavailable.
        return await _casegraph(request, unavailable_error(request.app.state.settings, exc) or CasegraphError(str(exc)))

    for driver_failure in DRIVER_FAILURES:
        app.add_exception_handler(driver_failure, _unavailable)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return JSONResponse(error_body("invalid_input", "the request does not validate", details=details),
                            status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(error_body(f"http_{exc.status_code}", str(exc.detail)), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        return _internal(request, exc)
