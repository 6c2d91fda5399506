"""`casegraph serve`: the API on uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from casegraph.settings import load_settings

STOP_S = 4


def serve_command(
    host: Annotated[str | None, typer.Option(help="address to listen on (CASEGRAPH_API_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="port (CASEGRAPH_API_PORT)")] = None,
    workers: Annotated[int, typer.Option(min=1, help="API processes; the audit chain stays one chain "
                                                     "(each append locks its head in Neo4j), rate limits "
                                                     "and the key cache are per process")] = 1,
) -> None:
    """Serve the HTTP API and the workbench at / (OpenAPI documentation at /docs)."""
    from casegraph.web.app import create_web_app

    settings = load_settings()
    host = host or settings.api_host
    port = port or settings.api_port
    typer.echo(f"casegraph workbench and API on http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    # On SIGTERM or Ctrl-C, calls in flight get STOP_S to finish; then the app's shutdown ends the job
    # workers and marks their jobs interrupted (api/job_runner.py): the whole stop well within 10 s.
    if workers == 1:
        uvicorn.run(create_web_app(settings), host=host, port=port, log_level="info", timeout_graceful_shutdown=STOP_S)
    else:  # each worker process builds its own app (and driver, audit writer) from the same settings
        uvicorn.run("casegraph.web.app:create_web_app", factory=True, workers=workers, host=host, port=port,
                    log_level="info", timeout_graceful_shutdown=STOP_S)
