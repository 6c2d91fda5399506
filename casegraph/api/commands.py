"""`casegraph serve`: the API on uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from casegraph.settings import load_settings


def serve_command(
    host: Annotated[str | None, typer.Option(help="address to listen on (CASEGRAPH_API_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="port (CASEGRAPH_API_PORT)")] = None,
) -> None:
    """Serve the HTTP API (OpenAPI documentation at /docs)."""
    from casegraph.api.app import create_app

    settings = load_settings()
    host = host or settings.api_host
    port = port or settings.api_port
    typer.echo(f"casegraph API on http://{host}:{port}  (docs: http://{host}:{port}/docs)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
