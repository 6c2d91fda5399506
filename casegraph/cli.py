"""The casegraph command line.

Each area keeps its commands in its own module (`casegraph/<area>/commands.py`) as a Typer
app or plain functions; this file only wires them together.
"""

from __future__ import annotations

from typing import Annotated

import typer

from casegraph import __version__
from casegraph.api import access_commands, read_commands
from casegraph.api.commands import serve_command
from casegraph.bundle.commands import bundle_command
from casegraph.graph import ops_commands
from casegraph.graph.commands import agency_app, db_app
from casegraph.i18n.cli_help import localize_typer, localized_group_class
from casegraph.ingest import commands as ingest_commands
from casegraph.ingest.ingest_command import ingest_command
from casegraph.ingest.resolution import commands as resolution_commands

localize_typer()  # Typer's own words and errors, also when `app` runs under a test's CliRunner
# One example per command, shown under its help (`示例：…`); tests/test_i18n.py checks that every command has one.
EXAMPLES = {
    "casegraph": "casegraph lookup 18685133017 --as demo-cq-police --purpose 渝公经立字（2024）37号",
    "casegraph lookup": "casegraph lookup '+86 186-8513-3017' --as demo-cq-police --purpose 渝公经立字（2024）37号",
    "casegraph search": "casegraph search 罗雪婷 --as demo-cq-police --purpose 渝公经立字（2024）37号 --format text",
    "casegraph entity": "casegraph entity phone:18685133017 --neighbors --as demo-cq-police "
                        "--purpose 渝公经立字（2024）37号",
    "casegraph ingest": "casegraph ingest examples/sc-police --agency sc-police",
    "casegraph serve": "casegraph serve --port 8000 --workers 2",
    "casegraph bundle": "casegraph bundle 川检二部刑诉(2024)173号 --out out/ --agency sc-procuratorate "
                        "--purpose 审查起诉",
    "casegraph extract": "casegraph extract examples/sc-police --format jsonl",
    "casegraph db": "casegraph db start",
    "casegraph db start": "casegraph db start",
    "casegraph db stop": "casegraph db stop",
    "casegraph db status": "casegraph db status",
    "casegraph db migrate": "casegraph db migrate --repair",
    "casegraph db backup": "casegraph db backup /srv/backups/casegraph-2026-12-07",
    "casegraph db restore": "casegraph db restore /srv/backups/casegraph-2026-12-07",
    "casegraph doctor": "casegraph doctor",
    "casegraph agency": "casegraph agency list",
    "casegraph agency add": "casegraph agency add cq-police --kind police --region CQ "
                            "--name 重庆市公安局经济犯罪侦查总队",
    "casegraph agency list": "casegraph agency list",
    "casegraph demo": "casegraph demo generate --out corpus --seed 3 --scale small",
    "casegraph demo generate": "casegraph demo generate --out corpus --seed 3 --scale small",
    "casegraph eval": "casegraph eval resolution --truth corpus/truth.json",
    "casegraph eval extraction": "casegraph eval extraction --gold tests/gold/gold.json",
    "casegraph eval resolution": "casegraph eval resolution --truth corpus/truth.json --misses",
    "casegraph eval rings": "casegraph eval rings --truth corpus/truth.json --oracle corpus",
    "casegraph detect": "casegraph detect rings --format text",
    "casegraph detect rings": "casegraph detect rings --ledger examples/sc-police/ledger_ABC_00001.csv --format text",
    "casegraph resolve": "casegraph resolve candidates",
    "casegraph resolve confirm": "casegraph resolve confirm ric:51030219870520232X name:罗雪婷|dob:1987-05-20 "
                                 "--by demo-sc-police --why 同一身份证号",
    "casegraph resolve reject": "casegraph resolve reject name:李娜|dob:1990-01-02 name:李娜|dob:1991-03-04 "
                                "--by demo-sc-police --why 出生日期不同",
    "casegraph resolve split": "casegraph resolve split ric:51030219870520232X --document doc:… "
                               "--by demo-sc-police --why 误合并",
    "casegraph resolve candidates": "casegraph resolve candidates --label Person",
    "casegraph documents": "casegraph documents sharing doc:… --level restricted --with sc-police",
    "casegraph documents delete": "casegraph documents delete doc:…",
    "casegraph documents sharing": "casegraph documents sharing doc:… --level restricted --with sc-police",
    "casegraph users": "casegraph users list --agency cq-police",
    "casegraph users add": "casegraph users add li.ming --agency cq-police --role investigator",
    "casegraph users rotate": "casegraph users rotate li.ming",
    "casegraph users list": "casegraph users list --agency cq-police",
    "casegraph users revoke": "casegraph users revoke li.ming",
    "casegraph access": "casegraph access list --agency cq-police",
    "casegraph access request": "casegraph access request --as-agency sc-police --holder cq-police "
                                "--identifier 18685133017 --purpose 川公经立字（2024）12号",
    "casegraph access approve": "casegraph access approve 3f2a… --days 30",
    "casegraph access deny": "casegraph access deny 3f2a…",
    "casegraph access list": "casegraph access list --agency cq-police",
    "casegraph audit": "casegraph audit verify",
    "casegraph audit export": "casegraph audit export --out audit.jsonl --since 2026-01-01T00:00:00",
    "casegraph audit verify": "casegraph audit verify",
    "casegraph rings": "casegraph rings list --as demo-cq-police --format text",
    "casegraph rings list": "casegraph rings list --as demo-cq-police --min-score 0.5 --format text",
    "casegraph rings show": "casegraph rings show run-…-0004 --as demo-cq-police --format text",
    "casegraph rings review": "casegraph rings review run-…-0004 --status confirmed --note 资金闭环 "
                              "--as demo-cq-analyst",
}
# The root group translates the whole tree when it runs (the script and tests' CliRunner alike).
app = typer.Typer(help="casegraph: cross-agency financial-crime case graph.", no_args_is_help=True,
                  cls=localized_group_class(EXAMPLES))


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"casegraph {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_print_version,
                                                 help="Print the version and exit.")] = False) -> None:
    """casegraph: cross-agency financial-crime case graph."""


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
app.command("lookup")(read_commands.lookup_command)
app.command("search")(read_commands.search_command)
app.command("entity")(read_commands.entity_command)
app.add_typer(read_commands.rings_app, name="rings")
app.command("ingest")(ingest_command)
app.command("doctor")(ops_commands.doctor)
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
