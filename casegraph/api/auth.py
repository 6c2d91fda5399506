"""Authentication, role checks and the stated purpose, as FastAPI dependencies.

Every /v1 router carries `Depends(authenticated)` at router level, so a route cannot be added
without it; a router of another area is put behind it with one line in app.py:
`app.include_router(router, dependencies=AUTHENTICATED)`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Annotated
from urllib.parse import unquote

from fastapi import Depends, Header, Query, Request
from fastapi.concurrency import run_in_threadpool

from casegraph.access import Action, Caller, require
from casegraph.api.deps import GraphDep
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
    key = _presented_key(authorization, x_api_key)
    caller = await run_in_threadpool(caller_for_key, graph.driver, graph.database, key)
    if caller is None:
        raise Unauthorized("the API key is unknown or revoked")
    # From here on the call is attributable, so the audit middleware records it, whatever follows.
    request.state.caller = caller
    buckets: TokenBuckets = request.app.state.rate_limits
    buckets.take(caller.user)
    return caller


AUTHENTICATED = [Depends(authenticated)]
CallerDep = Annotated[Caller, Depends(authenticated)]


def allowed_to(action: Action) -> Callable[..., Caller]:
    """A dependency: the caller, once its role may perform `action` (else 403); names the audited action."""

    def check(request: Request, caller: CallerDep) -> Caller:
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


def stated_purpose(
    request: Request,
    purpose: Annotated[str | None, Query(max_length=200, description="the case reference this call serves "
                                                                     "(or the X-Purpose header); required")] = None,
    x_purpose: Annotated[str | None, Header(max_length=600, description="the purpose, percent-encoded UTF-8")]
    = None,
) -> str:
    """The case reference the caller states for a read of case data; 422 without one."""
    text = " ".join((purpose or _header_text(x_purpose or "")).split())
    if len(text) < 3:
        raise InvalidInput("state the purpose of this lookup (a case reference) in `purpose` or X-Purpose")
    request.state.purpose = text
    return text


PurposeDep = Annotated[str, Depends(stated_purpose)]


def returned(request: Request, keys: list[str]) -> None:
    """Name the keys a response carries, for its audit record."""
    request.state.returned = keys
