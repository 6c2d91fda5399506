"""The OpenAPI document as the service behaves: each operation's error statuses with the one error
body, the API key as a security scheme, and `purpose` required where a read of case data needs it.

FastAPI documents what routes declare; the statuses that middlewares and dependencies answer
(401 no key, 429 rate or queue, 503 database, audit or overload, 413 body size) it cannot see, so
they are added here, once, by rule, for every /v1 operation.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from casegraph.api.models import ErrorBody

ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorBody"}
_DESCRIPTIONS = {
    "401": "no API key, or one unknown or revoked",
    "403": "the caller's role or agency may not do this, or the content is not for a masked role",
    "404": "nothing there, or nothing the caller's agency may see",
    "409": "clashes with the current state",
    "413": "the request body is over CASEGRAPH_API_MAX_BODY_BYTES",
    "422": "a parameter or the body does not validate (or the stated purpose is missing)",
    "429": "over the key's rate, or the agency's job queue is full: retry after `Retry-After` seconds",
    "503": "the database or the audit log is unavailable, or the server is at capacity (then with `Retry-After`)",
}
SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer", "description": "`Authorization: Bearer <API key>`"},
    "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": "the API key"},
}
_KEY_HEADERS = frozenset({"authorization", "x-api-key"})


def error_statuses(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    """The error statuses an operation can answer, by the rules the middlewares and routes follow."""
    statuses = ["401", "403", "429", "503"]
    has_body = "requestBody" in operation
    if operation.get("parameters") or has_body:
        statuses.append("422")
    if "{" in path or method in ("get", "post", "put", "delete"):
        statuses.append("404")  # a path's object, or a lookup's or listing's subject, may not exist
    if method in ("post", "put", "delete"):
        statuses.append("409")
    if has_body or method in ("post", "put"):
        statuses.append("413")
    return sorted(statuses)


def _document(schema: dict[str, Any]) -> dict[str, Any]:
    schema.setdefault("components", {}).setdefault("securitySchemes", {}).update(SECURITY_SCHEMES)
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if not path.startswith("/v1/"):
                continue
            params = [p for p in operation.get("parameters", []) if p["name"].lower() not in _KEY_HEADERS]
            for param in params:
                if param["name"] == "purpose" and param["in"] == "query":
                    param["required"] = True
                    param["schema"] = {"type": "string", "minLength": 3, "maxLength": 200, "title": "Purpose",
                                       "description": param.get("description", "")}
            operation["parameters"] = params
            if not params:
                del operation["parameters"]
            operation["security"] = [{"bearer": []}, {"apiKey": []}]
            responses = operation.setdefault("responses", {})
            for status in error_statuses(path, method, operation):
                responses[status] = {"description": _DESCRIPTIONS[status],
                                     "content": {"application/json": {"schema": ERROR_SCHEMA}}}
    schemas = schema["components"].setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    return schema


def install_contract(app: FastAPI) -> None:
    """Make `app.openapi()` the document above (built once, on first request, as FastAPI does)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description,
                                 routes=app.routes)
            defs = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
            schema.setdefault("components", {}).setdefault("schemas", {}).update(defs.pop("$defs", {}))
            schema["components"]["schemas"]["ErrorBody"] = defs
            app.openapi_schema = _document(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
