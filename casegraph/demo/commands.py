"""`casegraph demo generate`: write a synthetic corpus with its truth.json."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from .scales import parse_scale


def generate(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the corpus into.")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed; one seed gives identical files.")] = 1,
    scale: Annotated[str, typer.Option("--scale", help="examples, small, medium, large or a person count.")]
    = "small",
    workers: Annotated[int, typer.Option("--workers", min=1, help="Processes writing files (same output).")]
    = 1,
) -> None:
    """Generate a synthetic multi-agency corpus (documents, ledgers, truth.json)."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from .generator import generate as run

    try:
        chosen = parse_scale(scale)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--scale") from exc
    if out.exists() and not out.is_dir():
        raise typer.BadParameter(f"{out} exists and is not a folder", param_hint="--out")
    started = time.perf_counter()
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), transient=True) as bar:
        tasks: dict[str, object] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)  # type: ignore[arg-type]

        summary = run(out, chosen, seed, progress, workers)
    seconds = time.perf_counter() - started
    Console().print(
        f"[green]wrote[/green] {out}: {summary['persons']} persons, {summary['documents']} documents, "
        f"{summary['ledgers']} ledgers with {summary['ledger_rows']} rows, {summary['rings']} rings "
        f"in {seconds:.1f} s")
