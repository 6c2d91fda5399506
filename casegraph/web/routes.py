"""The workbench's own routes: the page, sign-in and sign-out, and the offline API documentation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from casegraph.api.errors import error_body
from casegraph.web.session_middleware import CSRF_HEADER, SESSION_COOKIE, session_id_of
from casegraph.web.sessions import Session, SessionStore, csrf_matches

STATIC = Path(__file__).resolve().parent / "static"
VENDOR = Path(__file__).resolve().parent / "vendor"

router = APIRouter(tags=["workbench"])
_NO_STORE = {"Cache-Control": "no-store"}


class SignIn(BaseModel):
    key: Annotated[str, Field(min_length=8, max_length=200, description="the user's API key")]


class SessionView(BaseModel):
    user: str
    agency: str
    role: str
    masked: bool
    csrf: str = Field(description="echo in X-CSRF-Token on every call that changes something")


def _sessions(request: Request) -> SessionStore:
    store: SessionStore = request.app.state.web_sessions
    return store


def _view(session: Session) -> dict[str, object]:
    caller = session.caller
    return SessionView(user=caller.user, agency=caller.agency, role=caller.role, masked=caller.masked,
                       csrf=session.csrf).model_dump()


def _unauthorized(message: str) -> JSONResponse:
    return JSONResponse(error_body("unauthorized", message), status_code=401, headers=_NO_STORE)


@router.get("/", include_in_schema=False)
async def page() -> FileResponse:
    return FileResponse(STATIC / "index.html", headers=_NO_STORE)


@router.get("/docs", include_in_schema=False)
async def docs() -> FileResponse:
    return FileResponse(STATIC / "docs.html", headers=_NO_STORE)


@router.post("/web/session", response_model=SessionView, responses={401: {"description": "unknown or revoked key"}})
async def sign_in(request: Request, body: SignIn) -> Response:
    """Exchange an API key for a session cookie (HttpOnly, SameSite=Strict, Secure over TLS)."""
    driver = request.app.state.driver
    session = await run_in_threadpool(_sessions(request).open, driver, body.key.strip())
    if session is None:
        return _unauthorized("the API key is unknown or revoked")
    old = session_id_of(request.headers)
    if old:
        await run_in_threadpool(_sessions(request).close, driver, old)
    response = JSONResponse(_view(session), headers=_NO_STORE)
    response.set_cookie(SESSION_COOKIE, session.id, httponly=True, samesite="strict", path="/",
                        secure=request.url.scheme == "https")
    return response


@router.get("/web/session", response_model=SessionView, responses={401: {"description": "no live session"}})
async def current_session(request: Request) -> Response:
    """Who the session cookie signs in, with its CSRF token (a reloaded page asks again)."""
    session = await run_in_threadpool(_sessions(request).get, request.app.state.driver,
                                      session_id_of(request.headers))
    if session is None:
        return _unauthorized("not signed in, or the session expired")
    return JSONResponse(_view(session), headers=_NO_STORE)


@router.delete("/web/session", status_code=204, responses={403: {"description": "no CSRF token"}})
async def sign_out(request: Request) -> Response:
    store, driver = _sessions(request), request.app.state.driver
    session = await run_in_threadpool(store.get, driver, session_id_of(request.headers))
    if session is not None:
        if not csrf_matches(session, request.headers.get(CSRF_HEADER)):
            return JSONResponse(error_body("csrf_failed", "signing out needs the session's X-CSRF-Token"),
                                status_code=403)
        await run_in_threadpool(store.close, driver, session.id)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response
