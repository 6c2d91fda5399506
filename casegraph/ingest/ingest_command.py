"""`casegraph ingest`: case files of one agency into the graph (extraction commands: commands.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from casegraph.errors import CasegraphError
from casegraph.graph.connection import get_driver, unavailable_as_error
from casegraph.ingest.case_files import iter_case_files
from casegraph.ingest.run import IngestReport, default_workers, ingest
from casegraph.settings import load_settings

console = Console(stderr=True)


def report_table(report: IngestReport) -> Table:
    table = Table(title="ingest report", show_header=False)
    rows = [
        ("files", report.files), ("ingested", report.ingested), ("unchanged (already in the graph)", report.unchanged),
        ("replaced earlier versions", report.replaced), ("quarantined", len(report.quarantined)),
        ("entities extracted", report.entities), ("relations extracted", report.relations),
        ("ledger rows", report.transactions), ("nodes written", report.written.nodes),
        ("relationships written", report.written.relationships), ("merges", report.linked.merges),
        ("candidates (POSSIBLY_SAME_AS)", report.linked.candidates),
    ]
    for name, value in rows:
        table.add_row(name, str(value))
    for reason, count in sorted(report.linked.reasons.items()):
        table.add_row(f"  merged on {reason}", str(count))
    return table


def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="files or folders of case files")],
    agency: Annotated[str, typer.Option(help="id of the agency whose files these are")],
    sharing: Annotated[str | None, typer.Option(help="shared | restricted | sealed; default: the agency's "
                                                     "default sharing")] = None,
    shared_with: Annotated[list[str] | None, typer.Option(help="agencies a restricted document is shared with")] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="extraction processes (default: cores - 1)")] = None,
) -> None:
    """Ingest case files (txt, json, docx, pdf, csv, xlsx) for one agency. Re-running is harmless, and
    resumes an interrupted run."""
    if sharing is not None and sharing not in ("shared", "restricted", "sealed"):
        raise typer.BadParameter("shared, restricted or sealed", param_hint="--sharing")
    settings = load_settings()
    try:
        total = sum(1 for _ in iter_case_files(paths))
        with unavailable_as_error(settings), Progress(
            TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
            TextColumn("{task.description}"), console=console, transient=True,
        ) as progress:
            task = progress.add_task("", total=total)

            def advance(path: Path) -> None:
                progress.update(task, advance=1, description=path.name[:40])

            report = ingest(get_driver(settings), settings.neo4j_database, paths, agency, settings.home,
                            sharing=sharing, shared_with=shared_with or [], on_file=advance,
                            workers=workers or default_workers())
    except KeyboardInterrupt as exc:
        console.print("[yellow]interrupted[/yellow]: the documents written so far are whole; run the same "
                      "command again to resume")
        raise typer.Exit(130) from exc
    except CasegraphError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    console.print(report_table(report))
    for q in report.quarantined:
        console.print(f"[yellow]quarantined[/yellow] {q.path}: {q.reason}")
