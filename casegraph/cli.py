"""The casegraph command line.

Each area keeps its commands in its own module (`casegraph/<area>/commands.py`) as a Typer
app or plain functions; this file only wires them together.
"""

from __future__ import annotations

import typer

from casegraph.api import access_commands
from casegraph.api.commands import serve_command
from casegraph.bundle.commands import bundle_command
from casegraph.graph.commands import agency_app, db_app
from casegraph.ingest import commands as ingest_commands
from casegraph.ingest.ingest_command import ingest_command, load_command
from casegraph.ingest.resolution import commands as resolution_commands

app = typer.Typer(help="casegraph: cross-agency financial-crime case graph.", no_args_is_help=True)
demo_app = typer.Typer(help="Synthetic corpora for demos, tests and benchmarks.", no_args_is_help=True)
eval_app = typer.Typer(help="Measure extraction, resolution and ring detection against ground truth.",
                       no_args_is_help=True)
detect_app = typer.Typer(help="Ring detection.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(agency_app, name="agency")
app.add_typer(demo_app, name="demo")
app.add_typer(eval_app, name="eval")
app.add_typer(detect_app, name="detect")
app.add_typer(resolution_commands.resolve_app, name="resolve")
# One `documents` group: delete (resolution) and sharing (access).
resolution_commands.documents_app.command("sharing")(access_commands.documents_sharing)
app.add_typer(resolution_commands.documents_app, name="documents")
for _name, _sub in (("users", access_commands.users_app), ("access", access_commands.access_app),
                    ("audit", access_commands.audit_app)):
    app.add_typer(_sub, name=_name)
app.command("ingest")(ingest_command)
app.command("load")(load_command)
app.command("serve")(serve_command)
app.command("bundle")(bundle_command)
app.command("extract")(ingest_commands.extract)
eval_app.command("extraction")(ingest_commands.evaluate_extraction)
eval_app.command("resolution")(resolution_commands.evaluate_resolution_command)

from casegraph.demo.commands import generate as _demo_generate  # noqa: E402

demo_app.command("generate")(_demo_generate)

from casegraph.detect import commands as detect_commands  # noqa: E402  (kept next to its wiring)

detect_app.command("rings")(detect_commands.rings)
eval_app.command("rings")(detect_commands.eval_rings)


if __name__ == "__main__":
    app()
