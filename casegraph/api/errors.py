"""One error body for every failure: {"error": {"code", "message"}}, never a stack trace."""

from __future__ import annotations

import json
import logging
import math

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope, Send

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
from casegraph.i18n import DEFAULT_LANGUAGE, N_, language_from_header, translate

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


# Pydantic's and Starlette's own messages that reach an error body (validation details, routing).
FRAMEWORK_MESSAGES = (
    N_("Field required"), N_("Input should be a valid integer, unable to parse string as an integer"),
    N_("Input should be a valid integer"), N_("Input should be a valid number, unable to parse string as a number"),
    N_("Input should be greater than or equal to {ge}"), N_("Input should be less than or equal to {le}"),
    N_("Input should be greater than {gt}"), N_("Input should be less than {lt}"),
    N_("String should have at least {min_length} characters"),
    N_("String should have at most {max_length} characters"), N_("Input should be a valid string"),
    N_("Input should be a valid dictionary or object to extract fields from"), N_("JSON decode error"),
    N_("Input should be {expected}"), N_("Extra inputs are not permitted"), N_("Input should be a valid boolean"),
    N_("Not Found"), N_("Method Not Allowed"),
)


def scope_language(scope: Scope) -> str:
    """zh or en, from the request's Accept-Language (简体中文 without one)."""
    for name, value in scope.get("headers") or ():
        if name == b"accept-language":
            return language_from_header(value.decode("latin-1"))
    return language_from_header(None)


def error_body(code: str, message: str, language: str | None = None, **extra: object) -> dict[str, object]:
    """The one error body; `message` is English at the raise site and said in `language` here."""
    return {"error": {"code": code, "message": translate(message, language or DEFAULT_LANGUAGE), **extra}}


def error_json(code: str, message: str, scope: Scope | None = None, **extra: object) -> bytes:
    body = error_body(code, message, scope_language(scope) if scope is not None else None, **extra)
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


async def send_error(send: Send, status: int, code: str, message: str, scope: Scope | None = None,
                     headers: list[tuple[bytes, bytes]] | None = None, **extra: object) -> None:
    """An error answer sent by a plain ASGI middleware, outside FastAPI's handlers."""
    body = error_json(code, message, scope, **extra)
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
        return N_("the database does not answer; try again shortly")
    return without_paths(str(exc))


def _extra(exc: CasegraphError, language: str) -> dict[str, object]:
    if isinstance(exc, RateLimited):
        return {"retry_after_s": int(retry_after_header(exc.retry_after_s))}
    if isinstance(exc, DatabaseUnavailable):
        return {"hint": translate("GET /health says when the database answers again", language)}
    return {}


def _internal(request: Request, exc: BaseException) -> JSONResponse:
    """500 with a reference to the traceback in the server's log, and nothing of it in the body."""
    settings = getattr(request.app.state, "settings", None)
    ref = report(exc, f"{request.method} {request.scope.get('path', '')}", settings.log_dir if settings else None)
    language = scope_language(request.scope)
    return JSONResponse(error_body("internal_error", "an unexpected error occurred; it has been logged", language,
                                   hint=translate("give the reference to an administrator", language), ref=ref),
                        status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CasegraphError)
    async def _casegraph(request: Request, exc: CasegraphError) -> JSONResponse:
        language = scope_language(request.scope)
        for cls, status, code in _STATUS:
            if isinstance(exc, cls):
                if isinstance(exc, DatabaseUnavailable):
                    log.warning("%s %s: %s", request.method, request.scope.get("path", ""), exc)
                return JSONResponse(error_body(code, _message(exc), language, **_extra(exc, language)),
                                    status_code=status, headers=_headers(exc))
        return _internal(request, exc)

    async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
        # The driver's connection failures, wherever in a call they happen: 503, as DatabaseUnavailable.
        return await _casegraph(request, unavailable_error(request.app.state.settings, exc) or CasegraphError(str(exc)))

    for driver_failure in DRIVER_FAILURES:
        app.add_exception_handler(driver_failure, _unavailable)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        language = scope_language(request.scope)
        details = [{"loc": list(e.get("loc", ())), "msg": translate(e.get("msg", ""), language)} for e in exc.errors()]
        return JSONResponse(error_body("invalid_input", "the request does not validate", language, details=details),
                            status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(error_body(f"http_{exc.status_code}", str(exc.detail), scope_language(request.scope)),
                            status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        return _internal(request, exc)
