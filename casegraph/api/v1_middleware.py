"""The base of the plain ASGI middlewares that act on /v1 calls only (audit, masking)."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


class V1Middleware:
    """Passes everything but HTTP calls under /v1/ straight through; `handle` sees the rest."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError
