"""`casegraph ingest`: case files of one agency into the graph (extraction commands: commands.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from casegraph.errors import CasegraphError
from casegraph.graph.connection import get_driver, unavailable_as_error
from casegraph.ingest.bulk import LoadReport, bulk_load
from casegraph.ingest.case_files import iter_case_files
from casegraph.ingest.run import IngestReport, default_workers, ingest
from casegraph.settings import load_settings

console = Console(stderr=True)

# The options `ingest` and `load` share.
PathsArg = Annotated[list[Path], typer.Argument(help="files or folders of case files")]
AgencyOpt = Annotated[str, typer.Option(help="id of the agency whose files these are")]
SharingOpt = Annotated[str | None, typer.Option(help="shared | restricted | sealed; default: the agency's "
                                                     "default sharing")]
SharedWithOpt = Annotated[list[str] | None, typer.Option(help="agencies a restricted document is shared with")]
WorkersOpt = Annotated[int | None, typer.Option(min=1, help="extraction processes (default: cores - 1)")]


def _check_sharing(sharing: str | None) -> None:
    if sharing is not None and sharing not in ("shared", "restricted", "sealed"):
        raise typer.BadParameter("shared, restricted or sealed", param_hint="--sharing")


@contextmanager
def _file_progress(label: str, paths: list[Path]) -> Iterator[Callable[[Path], None]]:
    """A progress bar over the case files under `paths`; yields the per-file callback."""
    total = sum(1 for _ in iter_case_files(paths))
    with Progress(TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TimeRemainingColumn(), TextColumn("{task.description}"), console=console, transient=True) as progress:
        task = progress.add_task("", total=total)

        def advance(path: Path) -> None:
            progress.update(task, advance=1, description=path.name[:40])

        yield advance


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
    paths: PathsArg, agency: AgencyOpt, sharing: SharingOpt = None, shared_with: SharedWithOpt = None,
    workers: WorkersOpt = None,
) -> None:
    """Ingest case files (txt, json, docx, pdf, csv, xlsx) for one agency. Re-running is harmless, and
    resumes an interrupted run."""
    _check_sharing(sharing)
    settings = load_settings()
    try:
        with unavailable_as_error(settings), _file_progress("ingest", paths) as advance:
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


def load_report_table(report: LoadReport) -> Table:
    table = Table(title="load report", show_header=False)
    rows: list[tuple[str, object]] = [
        ("files", report.files), ("loaded", report.loaded), ("duplicates (same bytes)", report.duplicates),
        ("quarantined", len(report.quarantined)), ("entities extracted", report.entities),
        ("relations extracted", report.relations), ("ledger rows", report.transactions),
        ("entity mentions", report.mentions), ("nodes imported", report.nodes),
        ("relationships imported", report.relationships), ("merges", report.linked.merges),
        ("candidates (POSSIBLY_SAME_AS)", report.linked.candidates),
    ]
    rows += [(f"{stage} (s)", f"{seconds:.1f}") for stage, seconds in report.seconds.items()]
    for name, value in rows:
        table.add_row(name, str(value))
    return table


def load_command(
    paths: PathsArg,
    agency: Annotated[str | None, typer.Option(help="id of the agency whose files these are; without it, each "
                                                    "PATH is a folder named by its agency's id")] = None,
    sharing: SharingOpt = None, shared_with: SharedWithOpt = None, workers: WorkersOpt = None,
) -> None:
    """First load of an archive into a database without case documents, by Neo4j's importer (the local
    server only): the graph `ingest` would give, in a new store switched in at the end. An interrupted
    load leaves the previous database serving; run it again."""
    _check_sharing(sharing)
    settings = load_settings()
    try:
        with unavailable_as_error(settings), _file_progress("load", paths) as advance:
            report = bulk_load(settings, paths, agency, settings.home, sharing=sharing, shared_with=shared_with or [],
                               workers=workers or default_workers(), on_file=advance)
    except CasegraphError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    console.print(load_report_table(report))
    for q in report.quarantined:
        console.print(f"[yellow]quarantined[/yellow] {q.path}: {q.reason}")
