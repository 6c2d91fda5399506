"""`casegraph db …` and `casegraph agency …`: the local server, migrations, agencies.

The driver is imported by the commands that talk to the database, not here: `db status` answers
from a Bolt handshake, and importing the driver would be most of its CPU time.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from casegraph.errors import CasegraphError
from casegraph.graph.local_server import LocalServer
from casegraph.graph.queries import cypher
from casegraph.i18n import error_line, gettext
from casegraph.regions import parse_region
from casegraph.settings import Settings, load_settings

console = Console()
err = Console(stderr=True)
db_app = typer.Typer(help="The Neo4j database: local server and schema.", no_args_is_help=True)
agency_app = typer.Typer(help="Participating agencies.", no_args_is_help=True)

AGENCY_KINDS = ("police", "procuratorate", "regulator", "court")


def fail(exc: Exception) -> typer.Exit:
    err.print(error_line(exc))
    return typer.Exit(1)


@db_app.command("start")
def db_start() -> None:
    """Fetch (once) and start the local Neo4j; waits until it answers. A second start is harmless."""
    settings = load_settings()
    server = LocalServer(settings)
    try:
        already = server.status()
        if not (already.running and already.answers):
            console.print(gettext("Starting the local Neo4j on {uri} (data in {data}) …").format(uri=settings.uri,
                                                                                        data=settings.data_dir))
            console.print(gettext("memory: {plan}").format(plan=server.memory_plan().describe()))
        status = server.start()
    except CasegraphError as exc:
        raise fail(exc) from exc
    word = gettext("already running") if already.running and already.answers else gettext("started")
    console.print(gettext("[green]{word}[/green]: {detail} at {uri} (pid {pid})").format(
        word=word, detail=status.detail, uri=status.uri, pid=status.pid))
    if not already.running:
        _finish_retractions(settings)


def _finish_retractions(settings: Settings) -> None:
    """A start after a crash finishes the retractions it cut short (replaced or deleted documents)."""
    from casegraph.graph.connection import get_driver
    from casegraph.graph.retraction import retract_retired

    def started(key: str) -> None:
        console.print(gettext("taking away the facts of {key} …").format(key=key))

    try:
        retract_retired(get_driver(settings), settings.neo4j_database, on_document=started)
    except CasegraphError as exc:
        raise fail(exc) from exc


@db_app.command("stop")
def db_stop() -> None:
    """Stop the local Neo4j."""
    stopped = LocalServer(load_settings()).stop()
    console.print(gettext("stopped") if stopped else gettext("not running"))


@db_app.command("status")
def db_status() -> None:
    """Whether the configured Neo4j answers (exit code 1 when it does not)."""
    settings = load_settings()
    if settings.uses_local_server:
        status = LocalServer(settings).quick_status()
        console.print(gettext("local server: running, pid {pid}").format(pid=status.pid) if status.running
                      else gettext("local server: not running"))
        ok, detail = status.answers, status.detail
    else:
        from casegraph.graph.connection import probe

        ok, detail = probe(settings)
    answer = gettext("[green]answers[/green]") if ok else gettext("[red]no answer[/red]")
    console.print(f"{settings.uri}: {answer} ({detail})")
    if not ok:
        raise typer.Exit(1)


@db_app.command("migrate")
def db_migrate(
    repair: Annotated[bool, typer.Option("--repair", help="run every migration again (re-creates a dropped "
                                                           "index or constraint; casegraph doctor says when)")] = False,
) -> None:
    """Apply the schema migrations in order (idempotent); the version is recorded in the database."""
    from casegraph.graph.connection import get_driver, unavailable_as_error
    from casegraph.graph.migrate import migrate

    settings = load_settings()
    try:
        with unavailable_as_error(settings):
            result = migrate(get_driver(settings), settings.neo4j_database, repair=repair)
    except CasegraphError as exc:
        raise fail(exc) from exc
    for name in result.applied:
        console.print(gettext("applied {name}").format(name=name))
    for name in result.changed:
        console.print(gettext("[yellow]re-applied (edited since) {name}[/yellow]").format(name=name))
    console.print(gettext("schema at version {version} ({n} already applied)").format(version=result.version,
                                                                                    n=len(result.already)))


@agency_app.command("add")
def agency_add(
    agency_id: Annotated[str, typer.Argument(metavar="ID", help="e.g. cq-police")],
    kind: Annotated[str, typer.Option(help="police | procuratorate | regulator | court")],
    region: Annotated[str, typer.Option(help="CQ | SC | another province by code or name (31, 上海)")],
    name: Annotated[str | None, typer.Option(help="full name, e.g. 重庆市公安局经济犯罪侦查总队")] = None,
    default_sharing: Annotated[str, typer.Option(help="shared | restricted | sealed")] = "shared",
) -> None:
    """Register an agency (or update it)."""
    if kind not in AGENCY_KINDS:
        raise fail(ValueError(f"--kind must be one of {', '.join(AGENCY_KINDS)}"))
    parsed = parse_region(region)
    if parsed is None:
        raise fail(ValueError(f"--region {region!r} is not a province: use CQ, SC, a two-digit code or a name"))
    region = parsed
    if default_sharing not in ("shared", "restricted", "sealed"):
        raise fail(ValueError("--default-sharing must be shared, restricted or sealed"))
    from casegraph.graph.connection import get_driver, unavailable_as_error

    settings = load_settings()
    try:
        with unavailable_as_error(settings):
            get_driver(settings).execute_query(cypher("agency_upsert"), id=agency_id, kind=kind, region=region,
                                               name=name or agency_id, default_sharing=default_sharing,
                                               database_=settings.neo4j_database)
    except CasegraphError as exc:
        raise fail(exc) from exc
    console.print(gettext("agency {id} ({kind}, {region}) registered").format(id=agency_id, kind=kind, region=region))


@agency_app.command("list")
def agency_list() -> None:
    """List the registered agencies."""
    from casegraph.graph.connection import get_driver, unavailable_as_error

    settings = load_settings()
    try:
        with unavailable_as_error(settings):
            records, _, _ = get_driver(settings).execute_query(cypher("agency_list"), database_=settings.neo4j_database)
    except CasegraphError as exc:
        raise fail(exc) from exc
    for r in records:
        a = r["agency"]
        console.print(f"{a['id']:<20} {a['kind']:<14} {a['region']}  {a.get('name', '')}")
