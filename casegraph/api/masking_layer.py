"""The one place where identifiers are masked for the roles that see them masked (analyst, admin).

Every /v1 answer passes this layer on its way out, whichever route, error handler, job view or
export wrote it, so a new route cannot forget masking. For a caller whose role sees identifiers
in full, and for calls without a known caller, it forwards the messages untouched (the lookups
are a benchmarked hot path). For a masked caller:

- a JSON body is collected, every string in it masked (casegraph.access.masking), and sent with
  its new length;
- a text body (HTML, plain text) likewise, as text; an event stream (SSE) chunk by chunk, since an
  event is sent whole;
- any other body (a zip, a PDF) cannot be masked, so it is withheld: 403 `masked_role`.

In a JSON body, an entity key that masking would break (`ric:500103********4515` names nothing)
becomes the key's opaque handle (access/handles.py), so that a masked role can still open and
expand what it was shown without ever receiving the identifier. Handles coming back in a request's
path or query are turned into keys here, before routing, for every caller. The audit log is read,
not navigated: an admin sees its keys masked (`ric:500103********4515` tells more than a handle).
"""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import parse_qsl, quote, urlencode

from starlette.requests import Request
from starlette.types import Message, Receive, Scope, Send

from casegraph.access.caller import Caller
from casegraph.access.handles import PREFIX, Handles
from casegraph.access.masking import mask_json, mask_text, mask_value
from casegraph.api.errors import send_error
from casegraph.api.v1_middleware import V1Middleware

_WITHHELD = ("this content carries identifiers in full, which the caller's role sees masked; "
             "ask an investigator or prosecutor")


def _content_type(message: Message) -> str:
    for name, value in message.get("headers", []):
        if name.lower() == b"content-type":
            return str(value.decode("latin-1")).split(";")[0].strip().lower()
    return ""


def _mode(content_type: str) -> str:
    if content_type == "text/event-stream":
        return "stream"
    if content_type.endswith("json"):
        return "json"
    if content_type.startswith("text/") or not content_type:
        return "text"
    return "withhold"


def _with_length(start: Message, length: int | None) -> Message:
    """The start message with `length` as its Content-Length, or none (a stream)."""
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    return {**start, "headers": headers}


async def _withhold(scope: Scope, send: Send) -> None:
    await send_error(send, 403, "masked_role", _WITHHELD, scope)


_READ_ONLY = "/v1/audit"

T = TypeVar("T")


def masked_answer(request: Request, caller: Caller, value: T) -> T:
    """`value` as a masked caller may receive it, with entity keys as their handles (a ring's
    members, an alert's entity): for answers masked before they reach this layer, such as an event
    stream's events, which the layer masks as text only, or routes that mask on their own."""
    if not caller.masked:
        return value
    handles: Handles | None = getattr(request.app.state, "handles", None)
    masked: T = mask_value(value, handles.handle if handles is not None else None)
    return masked


def _with_keys(scope: Scope, handles: Handles) -> Scope:
    """The request with every handle in its path segments and query values replaced by its key."""
    path, query = scope["path"], scope.get("query_string", b"").decode("latin-1")
    if PREFIX not in path and PREFIX.replace(":", "%3A") not in query and PREFIX not in query:
        return scope
    segments = [handles.key(part) or part for part in path.split("/")]
    pairs = [(name, handles.key(value) or value) for name, value in parse_qsl(query, keep_blank_values=True)]
    new_path = "/".join(segments)
    return {**scope, "path": new_path, "raw_path": quote(new_path).encode("latin-1"),
            "query_string": urlencode(pairs).encode("latin-1")}


class MaskingLayer(V1Middleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        handles: Handles | None = getattr(scope["app"].state, "handles", None) if "app" in scope else None
        if handles is not None:
            scope = _with_keys(scope, handles)
        handle = handles.handle if handles is not None and not scope["path"].startswith(_READ_ONLY) else None
        mode = ""
        start: Message = {}
        chunks: list[bytes] = []

        async def masking_send(message: Message) -> None:
            nonlocal mode, start
            if not mode:  # the response's start: by now the route has identified the caller
                caller: Any = scope.get("state", {}).get("caller")
                mode = _mode(_content_type(message)) if caller is not None and caller.masked else "pass"
                if mode == "pass":
                    await send(message)
                elif mode == "stream":
                    await send(_with_length(message, None))
                elif mode == "withhold":
                    await _withhold(scope, send)
                else:
                    start = message
                return
            if mode == "pass":
                await send(message)
            elif mode == "stream":
                body = message.get("body", b"")
                await send({**message, "body": mask_text(body.decode("utf-8", "replace")).encode("utf-8")})
            elif mode in ("json", "text") and message["type"] != "http.response.body":
                mode = "withhold"  # a file sent by path (pathsend): no bytes pass through here to mask
                await _withhold(scope, send)
            elif mode in ("json", "text"):
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    raw = b"".join(chunks)
                    body = (mask_json(raw, handle) if mode == "json"
                            else mask_text(raw.decode("utf-8", "replace")).encode())
                    await send(_with_length(start, len(body)))
                    await send({"type": "http.response.body", "body": body})
            # "withhold": the rest of the original answer is dropped

        await self.app(scope, receive, masking_send)

