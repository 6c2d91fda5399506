"""`casegraph db backup|restore` and `casegraph doctor`: keeping an install healthy for years."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from casegraph.errors import CasegraphError
from casegraph.graph.commands import db_app, fail
from casegraph.i18n import gettext, translate
from casegraph.settings import load_settings

console = Console()


@db_app.command("backup")
def db_backup(
    target: Annotated[Path, typer.Argument(metavar="DIR", help="a new folder for the backup")],
) -> None:
    """Back up the local server's store, API keys, audit spool and settings into DIR, with a manifest."""
    from casegraph.graph.backup import create_backup

    try:
        report = create_backup(target, say=console.print)
    except CasegraphError as exc:
        raise fail(exc) from exc
    parts = report.manifest.get("parts")
    parts = parts if isinstance(parts, list) else []
    size = sum(int(p["bytes"]) for p in parts)
    written = gettext("backup written: {path} ({parts} parts, {mb} MB); writes stopped for {pause} s, dump {dump} s")
    console.print(written.format(path=report.path, parts=len(parts), mb=f"{size / 1e6:.1f}",
                          pause=f"{report.write_pause_s:.1f}", dump=f"{report.dump_s:.1f}"))


@db_app.command("restore")
def db_restore(
    source: Annotated[Path, typer.Argument(metavar="DIR", help="a folder written by casegraph db backup")],
) -> None:
    """Check a backup, load it into a new store, switch to it and verify the audit chain.

    A damaged, partial or other-version backup is refused before anything is touched; the replaced
    store and state are kept beside, named *.before-restore-<time>.
    """
    from casegraph.graph.backup import restore_backup

    try:
        report = restore_backup(source, say=console.print)
    except CasegraphError as exc:
        raise fail(exc) from exc
    console.print(gettext("restored {path} (load {load} s); kept aside: {kept}").format(
        path=report.path, load=f"{report.load_s:.1f}",
        kept=", ".join(str(p) for p in report.kept) or gettext("nothing")))
    if not report.counts_match:
        console.print(gettext("the node and relationship counts differ from the manifest's (read just before the "
                              "backup's stop: writes in that moment differ)"))
    if report.audit_problems:
        console.print(gettext("the audit chain does not verify:") + " " + "; ".join(report.audit_problems[:5]))
        raise typer.Exit(1)
    console.print(gettext("the audit chain verifies"))


def doctor() -> None:
    """Check Java, the server and its version, migrations, indexes, disk, memory and the audit chain.

    Exits 1 when anything needs attention, and says what to do about each problem.
    """
    from casegraph.graph.doctor import run_checks

    problems = 0
    for finding in run_checks(load_settings()):
        mark = gettext("ok") if finding.ok else gettext("skipped") if finding.skipped else gettext("problem")
        console.print(f"{mark:<8} {gettext(finding.check):<12} {translate(finding.detail)}")
        if not finding.ok and not finding.skipped:
            problems += 1
            if finding.fix:
                console.print(f"{'':<8} → {translate(finding.fix)}")
    if problems:
        console.print(gettext("{n} problem(s)").format(n=problems))
        raise typer.Exit(1)
