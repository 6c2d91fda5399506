"""`casegraph ingest`: case files of one agency into the graph (extraction commands: commands.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from casegraph.errors import CasegraphError
from casegraph.graph.connection import get_driver, unavailable_as_error
from casegraph.ingest.run import ingest, iter_case_files
from casegraph.settings import load_settings

console = Console(stderr=True)


def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="files or folders of case files")],
    agency: Annotated[str, typer.Option(help="id of the agency whose files these are")],
    sharing: Annotated[str, typer.Option(help="shared | restricted | sealed")] = "shared",
    shared_with: Annotated[list[str] | None, typer.Option(help="agencies a restricted document is shared with")] = None,
) -> None:
    """Ingest case files (txt, json, docx, pdf, csv, xlsx) for one agency. Re-running is harmless."""
    settings = load_settings()
    try:
        total = sum(1 for _ in iter_case_files(paths))
        with unavailable_as_error(settings), Progress(
            TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            TextColumn("{task.description}"), console=console, transient=True,
        ) as progress:
            task = progress.add_task("", total=total)

            def advance(path: Path) -> None:
                progress.update(task, advance=1, description=path.name[:40])

            report = ingest(get_driver(settings), settings.neo4j_database, paths, agency, settings.home,
                            sharing=sharing, shared_with=shared_with or [], on_file=advance)
    except CasegraphError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    console.print(f"files {report.files}: ingested {report.ingested}, unchanged {report.unchanged}, "
                  f"quarantined {len(report.quarantined)}; entities {report.entities}, "
                  f"relations {report.relations}; nodes written {report.written.nodes}, "
                  f"relationships {report.written.relationships}")
    for q in report.quarantined:
        console.print(f"[yellow]quarantined[/yellow] {q.path}: {q.reason}")
