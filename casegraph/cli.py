"""The casegraph command line.

Each area keeps its commands in its own module (`casegraph/<area>/commands.py`) as a Typer
app or plain functions; this file only wires them together.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Annotated, Any

import typer

from casegraph import __version__
from casegraph.i18n import N_
from casegraph.i18n.cli_help import localize_typer, localized_group_class

localize_typer()  # Typer's own words and errors, also when `app` runs under a test's CliRunner
# One example per command, shown under its help (`示例：…`); tests/test_i18n.py checks that every command has one.
EXAMPLES = {
    "casegraph": "casegraph lookup 18685133017 --as demo-cq-police --purpose 渝公经立字（2024）37号",
    "casegraph lookup": "casegraph lookup '+86 186-8513-3017' --as demo-cq-police --purpose 渝公经立字（2024）37号",
    "casegraph search": "casegraph search 罗雪婷 --as demo-cq-police --purpose 渝公经立字（2024）37号 --format text",
    "casegraph entity": "casegraph entity phone:18685133017 --neighbors --as demo-cq-police "
                        "--purpose 渝公经立字（2024）37号",
    "casegraph ingest": "casegraph ingest examples/sc-police --agency sc-police",
    "casegraph load": "casegraph load corpus/cq-police corpus/sc-police",
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
    "casegraph model": "casegraph model train",
    "casegraph watch": "casegraph watch list --agency cq-police",
    "casegraph watch add": "casegraph watch add identifier 18685133017 --agency cq-police --user li.ming",
    "casegraph watch list": "casegraph watch list --agency cq-police",
    "casegraph watch remove": "casegraph watch remove wat-… --agency cq-police --user li.ming",
    "casegraph joint": "casegraph joint list --agency cq-police",
    "casegraph joint alert": "casegraph joint alert alt-k2f… assigned --agency cq-police --assignee li.ming",
    "casegraph joint open": "casegraph joint open run-20261207T101500-3fa2c1-0000 --agency cq-police --note 涉两地",
    "casegraph joint join": "casegraph joint join jh-5b1e… --agency sc-regulator",
    "casegraph joint note": "casegraph joint note jh-5b1e… 已冻结涉案账户 --agency sc-regulator",
    "casegraph joint list": "casegraph joint list --agency cq-police",
    "casegraph joint task": "casegraph joint task list --agency cq-police --overdue",
    "casegraph joint task add": "casegraph joint task add jh-5b1e… 冻结涉案账户 --owner li.ming --due 2026-12-31 "
                                "--agency cq-police",
    "casegraph joint task list": "casegraph joint task list --agency cq-police --overdue",
    "casegraph joint task done": "casegraph joint task done jt-8c4d… --agency cq-police --note 已冻结",
    "casegraph model train": "casegraph model train",
    "casegraph agency": "casegraph agency list",
    "casegraph agency add": "casegraph agency add cq-police --kind police --region CQ "
                            "--name 重庆市公安局经济犯罪侦查总队",
    "casegraph agency list": "casegraph agency list",
    "casegraph demo": "casegraph demo generate --out corpus --seed 3 --scale small",
    "casegraph demo generate": "casegraph demo generate --out corpus --seed 3 --scale small",
    "casegraph eval": "casegraph eval resolution --truth corpus/truth.json",
    "casegraph eval extraction": "casegraph eval extraction --gold tests/gold/truth.json",
    "casegraph eval resolution": "casegraph eval resolution --truth corpus/truth.json --misses",
    "casegraph eval rings": "casegraph eval rings --truth corpus/truth.json --oracle corpus",
    "casegraph detect": "casegraph detect rings --format text",
    "casegraph detect rings": "casegraph detect rings --ledger examples/sc-police/ledger_ABC_00001.csv --format text",
    "casegraph resolve": "casegraph resolve candidates",
    "casegraph resolve confirm": "casegraph resolve confirm ric:51030219870520232X mention:… "
                                 "--by demo-sc-police --why 同一人（见候选对）",
    "casegraph resolve reject": "casegraph resolve reject ric:500101199802261941 ric:500154196312180718 "
                                "--by demo-sc-police --why 身份证号不同",
    "casegraph resolve split": "casegraph resolve split ric:51030219870520232X --document doc:… "
                               "--by demo-sc-police --why 误合并",
    "casegraph resolve candidates": "casegraph resolve candidates --label Person",
    "casegraph documents": "casegraph documents sharing doc:… --level restricted --with sc-police",
    "casegraph documents delete": "casegraph documents delete doc:…",
    "casegraph documents finish": "casegraph documents finish",
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
# Every command is imported only when it runs (or a walk of the whole tree asks for it): the command
# modules import spaCy, the Neo4j driver, FastAPI, networkx and reportlab, which cost seconds, while
# `casegraph --help` needs none of them (tests/test_cli_start.py checks it).


def _documents() -> typer.Typer:
    from casegraph.api import access_commands
    from casegraph.ingest.resolution import commands as resolution_commands

    # One `documents` group: delete (resolution) and sharing (access); once per process.
    documents_app = resolution_commands.documents_app
    if not any(info.name == "sharing" for info in documents_app.registered_commands):
        documents_app.command("sharing")(access_commands.documents_sharing)
    return documents_app


def _db() -> typer.Typer:
    from casegraph.graph import ops_commands  # backup, restore: registered on db_app  # noqa: F401
    from casegraph.graph.commands import db_app

    return db_app


def _eval() -> typer.Typer:
    from casegraph.detect import commands as detect_commands
    from casegraph.ingest import commands as ingest_commands
    from casegraph.ingest.resolution import commands as resolution_commands

    eval_app = typer.Typer(help="Measure extraction, resolution and ring detection against ground truth.",
                           no_args_is_help=True)
    eval_app.command("extraction")(ingest_commands.evaluate_extraction)
    eval_app.command("resolution")(resolution_commands.evaluate_resolution_command)
    eval_app.command("rings")(detect_commands.eval_rings)
    return eval_app


def _demo() -> typer.Typer:
    from casegraph.demo.commands import generate

    demo_app = typer.Typer(help="Synthetic corpora for demos, tests and benchmarks.", no_args_is_help=True)
    demo_app.command("generate")(generate)
    return demo_app


def _detect() -> typer.Typer:
    from casegraph.detect import commands as detect_commands

    detect_app = typer.Typer(help="Ring detection.", no_args_is_help=True)
    detect_app.command("rings")(detect_commands.rings)
    return detect_app


def _attr(module: str, name: str) -> Callable[[], Any]:
    def load() -> Any:
        return getattr(importlib.import_module(module), name)
    return load


# name -> (loader of its Typer app or command function, the line the root's help shows for it)
LAZY_COMMANDS: dict[str, tuple[Callable[[], Any], str]] = {
    "db": (_db, N_("The Neo4j database: local server and schema.")),
    "agency": (_attr("casegraph.graph.commands", "agency_app"), N_("Participating agencies.")),
    "demo": (_demo, N_("Synthetic corpora for demos, tests and benchmarks.")),
    "eval": (_eval, N_("Measure extraction, resolution and ring detection against ground truth.")),
    "detect": (_detect, N_("Ring detection.")),
    "model": (_attr("casegraph.ingest.ner.commands", "model_app"), N_("The trained PERSON/ORG name model.")),
    "resolve": (_attr("casegraph.ingest.resolution.commands", "resolve_app"),
                N_("Entity resolution: candidates and investigators' decisions.")),
    "documents": (_documents, N_("Ingested documents.")),
    "users": (_attr("casegraph.api.access_commands", "users_app"), N_("Users and their API keys.")),
    "access": (_attr("casegraph.api.access_commands", "access_app"), N_("Access requests between agencies.")),
    "audit": (_attr("casegraph.api.access_commands", "audit_app"), N_("The audit log (read-only).")),
    "lookup": (_attr("casegraph.api.read_commands", "lookup_command"),
               N_("Look up an identifier across agencies, as USER sees it.")),
    "search": (_attr("casegraph.api.read_commands", "search_command"),
               N_("People and organisations by name, as USER's agency's documents write it; hit/no-hit for the "
                  "rest.")),
    "entity": (_attr("casegraph.api.read_commands", "entity_command"),
               N_("An entity by its key, and with --neighbors what lies around it, as USER sees it.")),
    "watch": (_attr("casegraph.api.watch_commands", "watch_app"),
              N_("Watches: hear when another agency's documents touch an entity, case or ring.")),
    "joint": (_attr("casegraph.api.joint_commands", "joint_app"),
              N_("Handle alerts and work a ring together with other agencies (联合处置).")),
    "rings": (_attr("casegraph.api.read_commands", "rings_app"),
              N_("Rings that ring detection stored: list, show, review.")),
    "ingest": (_attr("casegraph.ingest.ingest_command", "ingest_command"),
               N_("Ingest case files (txt, json, docx, pdf, csv, xlsx) for one agency.")),
    "load": (_attr("casegraph.ingest.ingest_command", "load_command"),
             N_("First load of an archive into a database without case documents, by Neo4j's importer.")),
    "doctor": (_attr("casegraph.graph.ops_commands", "doctor"),
               N_("Check Java, the server and its version, migrations, indexes, disk, memory and the audit chain.")),
    "serve": (_attr("casegraph.api.commands", "serve_command"),
              N_("Serve the HTTP API and the workbench at / (OpenAPI documentation at /docs).")),
    "bundle": (_attr("casegraph.bundle.commands", "bundle_command"), N_("Write a case-assist bundle of one case.")),
    "extract": (_attr("casegraph.ingest.commands", "extract"),
                N_("Extract entities and relations from case files, one JSON object per file; no database.")),
}

# The root group translates the whole tree when it runs (the script and tests' CliRunner alike).
app = typer.Typer(help="casegraph: cross-agency financial-crime case graph.", no_args_is_help=True,
                  cls=localized_group_class(EXAMPLES, lazy=LAZY_COMMANDS))


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"casegraph {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_print_version,
                                                 help="Print the version and exit.")] = False) -> None:
    """casegraph: cross-agency financial-crime case graph."""


if __name__ == "__main__":
    app()
