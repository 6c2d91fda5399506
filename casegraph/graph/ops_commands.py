"""`casegraph db backup|restore` and `casegraph doctor`: keeping an install healthy for years."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from casegraph.errors import CasegraphError
from casegraph.graph.commands import db_app, fail
from casegraph.settings import load_settings

console = Console()


@db_app.command("backup")
def db_backup(
    target: Annotated[Path, typer.Argument(metavar="DIR", help="a new folder for the backup")],
) -> None:
    """Back up the local server's store, API keys, audit spool and settings into DIR, with a manifest.

    Example: casegraph db backup /srv/backups/casegraph-$(date +%F)
    """
    from casegraph.graph.backup import create_backup

    try:
        report = create_backup(target, say=console.print)
    except CasegraphError as exc:
        raise fail(exc) from exc
    parts = report.manifest.get("parts")
    parts = parts if isinstance(parts, list) else []
    size = sum(int(p["bytes"]) for p in parts)
    console.print(f"[green]backup written[/green]: {report.path} ({len(parts)} parts, {size / 1e6:.1f} MB); "
                  f"writes stopped for {report.write_pause_s:.1f} s, dump {report.dump_s:.1f} s")


@db_app.command("restore")
def db_restore(
    source: Annotated[Path, typer.Argument(metavar="DIR", help="a folder written by casegraph db backup")],
) -> None:
    """Check a backup, load it into a new store, switch to it and verify the audit chain.

    A damaged, partial or other-version backup is refused before anything is touched; the replaced
    store and state are kept beside, named *.before-restore-<time>.
    Example: casegraph db restore /srv/backups/casegraph-2026-12-01
    """
    from casegraph.graph.backup import restore_backup

    try:
        report = restore_backup(source, say=console.print)
    except CasegraphError as exc:
        raise fail(exc) from exc
    console.print(f"[green]restored[/green] {report.path} (load {report.load_s:.1f} s); kept aside: "
                  + (", ".join(str(p) for p in report.kept) or "nothing"))
    if not report.counts_match:
        console.print("[yellow]the node and relationship counts differ from the manifest's (read just before "
                      "the backup's stop: writes in that moment differ)[/yellow]")
    if report.audit_problems:
        console.print("[red]the audit chain does not verify:[/red] " + "; ".join(report.audit_problems[:5]))
        raise typer.Exit(1)
    console.print("audit chain verifies")


def doctor() -> None:
    """Check Java, the server and its version, migrations, indexes, disk, memory and the audit chain.

    Exits 1 when anything needs attention, and says what to do about each problem.
    Example: casegraph doctor
    """
    from casegraph.graph.doctor import run_checks

    problems = 0
    for finding in run_checks(load_settings()):
        mark = "[green]ok[/green]     " if finding.ok else "skipped" if finding.skipped else "[red]problem[/red]"
        console.print(f"{mark} {finding.check:<12} {finding.detail}")
        if not finding.ok and not finding.skipped:
            problems += 1
            if finding.fix:
                console.print(f"             → {finding.fix}")
    if problems:
        console.print(f"{problems} problem(s)")
        raise typer.Exit(1)
