"""`casegraph bundle CASE --out DIR`: a case-assist bundle written to a folder (and zipped)."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from casegraph.bundle.assemble import Limits
from casegraph.bundle.models import Requester
from casegraph.bundle.package import verify
from casegraph.bundle.service import bundle_to_folder, resolve_case
from casegraph.errors import CasegraphError
from casegraph.graph.connection import get_driver, unavailable_as_error
from casegraph.i18n import error_line, gettext
from casegraph.settings import load_settings

console = Console(stderr=True)


def bundle_command(
    case: Annotated[str, typer.Argument(help="case key, e.g. 'case:sc-procuratorate:川检二部刑诉(2024)173号', "
                                             "or its case number where one case has it")],
    out: Annotated[Path, typer.Option("--out", help="folder to write bundle.json/.html/.pdf, manifest and zip into")],
    agency: Annotated[str | None, typer.Option(help="the caller's agency (default: the case's own agency)")] = None,
    purpose: Annotated[str, typer.Option(help="why the bundle is drawn (recorded in the manifest)")] = "",
    user: Annotated[str | None, typer.Option(help="who asks (default: the login name)")] = None,
    parties: Annotated[int, typer.Option(min=1, help="parties per page")] = 100,
    offset: Annotated[int, typer.Option(min=0, help="first party of the page")] = 0,
) -> None:
    """Write a case-assist bundle: the case, its parties, their other cases, the money, rings,
    timeline and evidence, each fact with its source, within the agency's visibility."""
    settings = load_settings()
    try:
        with unavailable_as_error(settings):
            case = resolve_case(get_driver(settings), settings.neo4j_database, case, agency)
            requester = Requester(agency=agency or case.split(":")[1], user=user or getpass.getuser(),
                                  purpose=purpose)
            written = bundle_to_folder(get_driver(settings), settings.neo4j_database, case, requester, out,
                                       Limits(parties=parties, offset=offset))
    except CasegraphError as exc:
        console.print(error_line(exc))
        raise typer.Exit(1) from exc
    problems = verify(written.zip_path)
    size = gettext("{n} bytes")
    for name, path in written.files.items():
        console.print(f"{name:14} {size.format(n=f'{path.stat().st_size:>9,}')}")
    console.print(f"{written.zip_path.name:14} {size.format(n=f'{written.zip_path.stat().st_size:>9,}')}"
                  f"  ({gettext('hashes verify') if not problems else '; '.join(problems)})")
