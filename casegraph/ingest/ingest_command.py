"""`casegraph ingest`: case files of one agency into the graph (extraction commands: commands.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from casegraph.errors import CasegraphError
from casegraph.graph.connection import get_driver, unavailable_as_error
from casegraph.i18n import N_, error_line, gettext, translate
from casegraph.ingest.bulk import LoadReport, bulk_load
from casegraph.ingest.case_files import iter_case_files
from casegraph.ingest.run import IngestReport, Quarantined, default_workers, ingest
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


# The rules people were merged on (resolution's stable reason ids) as the report names them.
MERGE_REASONS = {
    "name+birth_date": N_("same name and birth date"),
    "account_holder_of_record": N_("holder of record of the same account"),
    "legal_representative_of_organization": N_("legal representative of the same organisation"),
    "same_name_in_linked_cases": N_("same name in linked cases"),
    "anonymised_form_in_linked_cases": N_("anonymised form of the name in linked cases"),
    "anonymised_form_particulars_in_linked_cases": N_("anonymised form with matching particulars in linked cases"),
    "anonymised_surname_particulars_in_linked_cases": N_("anonymised surname with matching particulars in linked cases"),
    "anonymised_form_with_birth_date_in_linked_cases": N_("anonymised form with the same birth date in linked cases"),
    "same_name_account_and_phone": N_("same name, account and phone"),
    "same_anonymised_name_in_linked_cases": N_("same anonymised name in linked cases"),
    "same_official_of_institution": N_("same official of one institution"),
    "name_of_registered_organization": N_("name of a registered organisation"),
    "linked": N_("linked through other merges"),
}


def report_table(report: IngestReport) -> Table:
    table = Table(title=gettext("ingest report"), show_header=False)
    rows = [
        (N_("files"), report.files), (N_("ingested"), report.ingested), (N_("unchanged (already in the graph)"), report.unchanged),
        (N_("replaced earlier versions"), report.replaced), (N_("quarantined"), len(report.quarantined)),
        (N_("entities extracted"), report.entities), (N_("relations extracted"), report.relations),
        (N_("ledger rows"), report.transactions), (N_("nodes written"), report.written.nodes),
        (N_("relationships written"), report.written.relationships), (N_("merges"), report.linked.merges),
        (N_("candidates (POSSIBLY_SAME_AS)"), report.linked.candidates),
    ]
    for name, value in rows:
        table.add_row(gettext(name), f"{value:,}")
    for reason, count in sorted(report.linked.reasons.items()):
        label = gettext(MERGE_REASONS.get(reason, reason))
        table.add_row(gettext("  merged on {reason}").format(reason=label), f"{count:,}")
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
        console.print(gettext("[yellow]interrupted[/yellow]: the documents written so far are whole; run the same "
                              "command again to resume"))
        raise typer.Exit(130) from exc
    except CasegraphError as exc:
        console.print(error_line(exc))
        raise typer.Exit(1) from exc
    console.print(report_table(report))
    _print_quarantined(report.quarantined)


def _print_quarantined(quarantined: Iterable[Quarantined]) -> None:
    for q in quarantined:
        console.print(gettext("[yellow]quarantined[/yellow] {path}: {reason}").format(
            path=q.path, reason=translate(q.reason)))


def load_report_table(report: LoadReport) -> Table:
    table = Table(title=gettext("load report"), show_header=False)
    rows: list[tuple[str, object]] = [
        (N_("files"), report.files), (N_("loaded"), report.loaded), (N_("duplicates (same bytes)"), report.duplicates),
        (N_("quarantined"), len(report.quarantined)), (N_("entities extracted"), report.entities),
        (N_("relations extracted"), report.relations), (N_("ledger rows"), report.transactions),
        (N_("entity mentions"), report.mentions), (N_("nodes imported"), report.nodes),
        (N_("relationships imported"), report.relationships), (N_("merges"), report.linked.merges),
        (N_("candidates (POSSIBLY_SAME_AS)"), report.linked.candidates),
    ]
    for name, value in rows:
        table.add_row(gettext(name), str(value))
    for stage, seconds in report.seconds.items():
        table.add_row(gettext("{stage} (s)").format(stage=stage), f"{seconds:.1f}")
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
        console.print(error_line(exc))
        raise typer.Exit(1) from exc
    console.print(load_report_table(report))
    _print_quarantined(report.quarantined)
