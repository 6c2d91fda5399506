"""The database as a CLI command opens it: plain errors on stderr and exit code 1, no traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from neo4j import Driver
from rich.console import Console

from casegraph.errors import CasegraphError
from casegraph.graph.connection import get_driver, unavailable_as_error
from casegraph.i18n import error_line
from casegraph.settings import load_settings

err = Console(stderr=True)


@contextmanager
def command_database() -> Iterator[tuple[Driver, str]]:
    """(driver, database) of the configured Neo4j; a casegraph error inside ends the command with it."""
    settings = load_settings()
    try:
        with unavailable_as_error(settings):
            yield get_driver(settings), settings.neo4j_database
    except CasegraphError as exc:
        err.print(error_line(exc))
        raise typer.Exit(1) from exc
