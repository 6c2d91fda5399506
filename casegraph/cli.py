"""The casegraph command line.

Each area keeps its commands in its own module (`casegraph/<area>/commands.py`) as a Typer
app or plain functions; this file only wires them together.
"""

from __future__ import annotations

import typer

app = typer.Typer(help="casegraph: cross-agency financial-crime case graph.", no_args_is_help=True)
demo_app = typer.Typer(help="Synthetic corpora for demos, tests and benchmarks.", no_args_is_help=True)
eval_app = typer.Typer(help="Measure extraction, resolution and ring detection against ground truth.",
                       no_args_is_help=True)
detect_app = typer.Typer(help="Ring detection.", no_args_is_help=True)
app.add_typer(demo_app, name="demo")
app.add_typer(eval_app, name="eval")
app.add_typer(detect_app, name="detect")

from casegraph.detect import commands as detect_commands  # noqa: E402  (kept next to its wiring)

detect_app.command("rings")(detect_commands.rings)
eval_app.command("rings")(detect_commands.eval_rings)


if __name__ == "__main__":
    app()
