"""The session cookie as API credentials, the CSRF check, and the browser's security headers.

A /v1 call that carries no key of its own but the workbench's session cookie is handed to the API
as the session's user (`web_caller` in the request's state, which only the server can set; the
API's authentication takes it where it would take a key), so the API's own checks, rate limit,
sharing and audit apply as to any client. A call that changes something must also echo the session's
CSRF token in X-CSRF-Token (SameSite=Strict already keeps other sites' requests cookie-less;
the token is the second lock). Without a live session the call goes on without credentials and
the API answers 401.
"""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie

from neo4j.exceptions import DriverError, Neo4jError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from casegraph.api.auth import WEB_CALLER
from casegraph.api.errors import error_json
from casegraph.web.sessions import SessionStore, csrf_matches

SESSION_COOKIE = "cg_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# No inline script or style element, nothing from another origin; charts draw on canvas and
# exports are data:/blob: URLs.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
                           "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
                           "frame-ancestors 'none'; form-action 'self'")
_PAGE_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def session_id_of(headers: Headers) -> str | None:
    raw = headers.get("cookie")
    if not raw:
        return None
    try:
        morsel = SimpleCookie(raw).get(SESSION_COOKIE)
    except CookieError:
        return None
    return morsel.value if morsel else None


async def _refuse(send: Send, status: int, code: str, message: str) -> None:
    body = error_json(code, message)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class SessionCredentials:
    def __init__(self, app: ASGIApp, sessions: SessionStore) -> None:
        self.app, self.sessions = app, sessions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if not path.startswith("/v1/"):
            await self.app(scope, receive, self._with_page_headers(send))
            return
        headers = Headers(scope=scope)
        if "authorization" in headers or "x-api-key" in headers:  # a client with its own key: no cookie used
            await self.app(scope, receive, send)
            return
        try:
            session = await run_in_threadpool(self.sessions.get, scope["app"].state.driver, session_id_of(headers))
        except (Neo4jError, DriverError):
            await _refuse(send, 503, "database_unavailable", "the database does not answer: try again shortly")
            return
        if session is None:
            await self.app(scope, receive, send)  # no credentials: the API answers 401
            return
        if scope["method"] not in SAFE_METHODS and not csrf_matches(session, headers.get(CSRF_HEADER)):
            await _refuse(send, 403, "csrf_failed", "a change made with the session cookie needs its X-CSRF-Token")
            return
        scope = dict(scope)
        scope["state"] = {**scope.get("state", {}), WEB_CALLER: session.caller}
        await self.app(scope, receive, send)

    @staticmethod
    def _with_page_headers(send: Send) -> Send:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *_PAGE_HEADERS]}
            await send(message)

        return sending
