"""Authentication, role checks and the stated purpose, as FastAPI dependencies.

Every /v1 router carries `Depends(authenticated)` at router level, so a route cannot be added
without it; a router of another area is put behind it with one line in app.py:
`app.include_router(router, dependencies=AUTHENTICATED)`.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, cast
from urllib.parse import unquote

from fastapi import Depends, Header, Query, Request
from fastapi.concurrency import run_in_threadpool

from casegraph.access import Action, Caller, require
from casegraph.access.keys import key_hash
from casegraph.api.deps import Graph, GraphDep
from casegraph.api.limits import TokenBuckets
from casegraph.errors import InvalidInput, Unauthorized
from casegraph.graph.users import caller_for_key


def _presented_key(authorization: str | None, x_api_key: str | None) -> str:
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("the Authorization header must be `Bearer <API key>`")
        return token.strip()
    if x_api_key:
        return x_api_key.strip()
    raise Unauthorized("an API key is required: `Authorization: Bearer <key>` or `X-API-Key: <key>`")


async def authenticated(
    request: Request,
    graph: GraphDep,
    authorization: Annotated[str | None, Header(description="`Bearer <API key>`")] = None,
    x_api_key: Annotated[str | None, Header(description="the API key (instead of Authorization)")] = None,
) -> Caller:
    """The caller behind the presented API key; 401 when missing, unknown or revoked, 429 over its rate."""
    return await _identified(request, graph, authorization, x_api_key)


# Where the workbench's session layer (web/session_middleware.py) puts the user of a session
# cookie: request state, which no client can set. A presented key still comes first.
WEB_CALLER = "web_caller"


async def _identified(request: Request, graph: Graph, authorization: str | None, x_api_key: str | None) -> Caller:
    session_caller: Caller | None = getattr(request.state, WEB_CALLER, None)
    if session_caller is not None and not authorization and not x_api_key:
        return _admitted(request, session_caller)
    key = _presented_key(authorization, x_api_key)
    cache: KeyCache = request.app.state.key_cache
    caller = cache.get(key)
    if caller is None:
        caller = await run_in_threadpool(caller_for_key, graph.driver, graph.database, key)
        if caller is not None:
            cache.put(key, caller)
    if caller is None:
        raise Unauthorized("the API key is unknown or revoked")
    return _admitted(request, caller)


def _admitted(request: Request, caller: Caller) -> Caller:
    # From here on the call is attributable, so the audit middleware records it, whatever follows.
    request.state.caller = caller
    buckets: TokenBuckets = request.app.state.rate_limits
    buckets.take(caller.user)
    return caller


class KeyCache:
    """Recently verified keys, for `ttl_s` seconds, by hash (the key itself is not kept).

    Saves a database round trip per call. The process that revokes a key forgets it at once
    (`clear`); another API process may accept it for up to `ttl_s` more seconds. ttl 0 disables it.
    """

    def __init__(self, ttl_s: float, max_keys: int = 10_000) -> None:
        self.ttl_s, self.max_keys = ttl_s, max_keys
        self._entries: dict[str, tuple[Caller, float]] = {}

    def get(self, key: str) -> Caller | None:
        if self.ttl_s <= 0:
            return None
        entry = self._entries.get(key_hash(key))
        if entry is None or entry[1] < time.monotonic():
            return None
        return entry[0]

    def put(self, key: str, caller: Caller) -> None:
        if self.ttl_s <= 0:
            return
        if len(self._entries) >= self.max_keys:
            self._entries.clear()
        self._entries[key_hash(key)] = (caller, time.monotonic() + self.ttl_s)

    def clear(self) -> None:
        self._entries.clear()


AUTHENTICATED = [Depends(authenticated)]
CallerDep = Annotated[Caller, Depends(authenticated)]


def allowed_to(action: Action) -> Callable[..., Awaitable[Caller]]:
    """A dependency: the caller, once its role may perform `action` (else 403); names the audited action."""

    async def check(request: Request, caller: CallerDep) -> Caller:  # async: no thread hop for a dict lookup
        request.state.action = action
        require(caller.role, action)
        return caller

    return check


def _header_text(value: str) -> str:
    """A header value as text: headers are Latin-1 on the wire, so UTF-8 comes percent-encoded
    (`X-Purpose: %E5%B7%9D...`) or as raw UTF-8 bytes that Starlette decoded as Latin-1."""
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        value = value.encode("latin-1").decode("utf-8")
    return unquote(value)


async def stated_purpose(
    request: Request,
    purpose: Annotated[str | None, Query(max_length=200, description="the case reference this call serves "
                                                                     "(or the X-Purpose header); required")] = None,
    x_purpose: Annotated[str | None, Header(max_length=600, description="the purpose, percent-encoded UTF-8")]
    = None,
) -> str:
    """The case reference the caller states for a read of case data; 422 without one."""
    text = _purpose_text(purpose, x_purpose)
    request.state.purpose = text
    return text


def _purpose_text(purpose: str | None, x_purpose: str | None) -> str:
    text = " ".join((purpose or _header_text(x_purpose or "")).split())
    if len(text) < 3:
        raise InvalidInput("state the purpose of this lookup (a case reference) in `purpose` or X-Purpose")
    return text


PurposeDep = Annotated[str, Depends(stated_purpose)]


def returned(request: Request, keys: list[str]) -> None:
    """Name the keys a response carries, for its audit record."""
    request.state.returned = keys


@dataclass(frozen=True, slots=True)
class Access:
    """What one dependency established for a read of case data: who, why, and the graph to read."""

    caller: Caller
    purpose: str
    graph: Graph


def access_for(action: Action) -> Callable[..., Awaitable[Access]]:
    """One dependency doing what `authenticated`, `allowed_to(action)` and `stated_purpose` do together.

    FastAPI solves every declared dependency on every call, cached or not: that chain (key, role,
    purpose, graph; the key check declared twice, by router and route) was a fifth of a lookup's
    API CPU. Same checks, same order (401, 429, 403, then 422 for the purpose), one solve, and
    that of a dependency with no parameters but the request: it reads the key and purpose itself,
    and the routes behind it document them with `openapi_extra=ACCESS_OPENAPI`.
    Lengths are checked here, after the key, so that an over-long purpose is an attributable,
    audited 422 as before; the schema still tells them.
    """

    async def access(request: Request) -> Access:
        # Read from the request itself: each parameter declared to FastAPI cost its solver ~0.1 ms
        # per call (docs/benchmarks-history.md, issue 6, session 5). The schema declares them (ACCESS_OPENAPI).
        headers, query = request.headers, request.query_params
        request.state.query_params = query  # for the audit record (audit_middleware.py), parsed once
        authorization, x_api_key = headers.get("authorization"), headers.get("x-api-key")
        purpose, x_purpose = query.get("purpose"), headers.get("x-purpose")
        state = request.app.state
        graph = Graph(state.driver, state.settings.neo4j_database)
        caller = await _identified(request, graph, authorization, x_api_key)
        request.state.action = action
        require(caller.role, action)
        if (purpose is not None and len(purpose) > 200) or (x_purpose is not None and len(x_purpose) > 600):
            raise InvalidInput("the stated purpose is too long (200 characters, or 600 in X-Purpose)")
        text = _purpose_text(purpose, x_purpose)
        request.state.purpose = text
        found = Access(caller, text, graph)
        request.state.access = found
        return found

    return access


# The parameters `access_for` reads, for the OpenAPI schema of each route behind it
# (`openapi_extra=ACCESS_OPENAPI`): what clients and schemathesis see is as when they were declared.
def _documented(name: str, where: str, description: str, max_length: int | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"anyOf": [{"type": "string"}, {"type": "null"}], "description": description,
                              "title": name.title()}
    if max_length is not None:
        schema["maxLength"] = max_length
    return {"name": name, "in": where, "required": False, "schema": schema, "description": description}


ACCESS_OPENAPI: dict[str, Any] = {"parameters": [
    _documented("purpose", "query", "the case reference this call serves (or the X-Purpose header); required", 200),
    _documented("authorization", "header", "`Bearer <API key>`"),
    _documented("x-api-key", "header", "the API key (instead of Authorization)"),
    _documented("x-purpose", "header", "the purpose, percent-encoded UTF-8", 600),
]}


def access_of(request: Request) -> Access:
    """The Access that the router's `access_for` dependency established for this call."""
    return cast(Access, request.state.access)
