"""`casegraph resolve …`, `casegraph documents delete` and `casegraph eval resolution`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from neo4j import Driver
from rich.console import Console

from casegraph.access.roles import require
from casegraph.cli_database import command_database
from casegraph.errors import CasegraphError
from casegraph.graph import decisions, users, writer
from casegraph.graph.connection import get_driver, unavailable_as_error
from casegraph.graph.queries import cypher
from casegraph.i18n import N_, error_line, gettext, translate
from casegraph.ingest.resolution.evaluate import (
    evaluate_resolution,
    format_evaluation,
    load_truth,
    open_candidates,
    what_if_confirmed,
)
from casegraph.ingest.resolution.misses import classify_misses, format_misses
from casegraph.settings import load_settings

console = Console()
err = Console(stderr=True)
resolve_app = typer.Typer(help="Entity resolution: candidates and investigators' decisions.", no_args_is_help=True)
documents_app = typer.Typer(help="Ingested documents.", no_args_is_help=True)

By = Annotated[str, typer.Option(metavar="USER", help="who decides: a registered user allowed to resolve "
                                                        "(see `casegraph users list`)")]
Why = Annotated[str, typer.Option(help="why, for the audit trail")]


def _fail(exc: Exception) -> typer.Exit:
    err.print(error_line(exc))
    return typer.Exit(1)


def _decider(driver: Driver, database: str, by: str) -> str:
    """`--by` names a registered, active user whose role may resolve identities, not free text."""
    require(users.active_user(driver, database, by).role, "resolve")
    return by


# What a decision did, as casegraph.graph.decisions words it (the API's `result`), for the catalogue.
DECISION_WORDS = (N_("confirm"), N_("reject"), N_("split"), N_("{merge} merged into {keep}"), N_("kept apart"),
                  N_("{new_key} split from {key}"))


def _show(result: decisions.DecisionResult) -> None:
    console.print(f"{gettext(result.kind)} {result.id}：{translate(result.result)}")


@resolve_app.command("confirm")
def confirm_command(keep: Annotated[str, typer.Argument(help="key of the node that stays")],
                    merge: Annotated[str, typer.Argument(help="key of the node merged into it")],
                    by: By, why: Why) -> None:
    """Confirm that two nodes are one: MERGE is merged into KEEP, keeping every source; audited."""
    with command_database() as (driver, database):
        _show(decisions.confirm(driver, database, keep, merge, _decider(driver, database, by), why))


@resolve_app.command("reject")
def reject_command(a: Annotated[str, typer.Argument(help="key of one node")],
                   b: Annotated[str, typer.Argument(help="key of the other")], by: By, why: Why) -> None:
    """Reject a candidate: the two nodes are different and are never proposed again."""
    with command_database() as (driver, database):
        _show(decisions.reject(driver, database, a, b, _decider(driver, database, by), why))


@resolve_app.command("split")
def split_command(key: Annotated[str, typer.Argument(help="key of the wrongly merged node")],
                  document: Annotated[list[str], typer.Option(help="doc:… whose mentions leave the node")],
                  by: By, why: Why) -> None:
    """Undo a merge: what the given documents say goes to a new node, kept apart from KEY."""
    with command_database() as (driver, database):
        _show(decisions.split(driver, database, key, document, _decider(driver, database, by), why))


@resolve_app.command("candidates")
def candidates_command(label: Annotated[str, typer.Option(help="Person | Organization")] = "Person",
                       limit: Annotated[int, typer.Option(min=1, max=1000)] = 50) -> None:
    """Open POSSIBLY_SAME_AS candidates, best first."""
    if label not in ("Person", "Organization"):
        raise typer.BadParameter("Person or Organization", param_hint="--label")
    with command_database() as (driver, database):
        rows = decisions.open_candidates(driver, database, label, limit)
    for row in rows:
        console.print(f"{row['score']:.2f}  {row['a']} ({row['a_name']})  ~  {row['b']} ({row['b_name']})  "
                      f"{', '.join(row['reasons'] or [])}")


@documents_app.command("delete")
def delete_command(key: Annotated[str, typer.Argument(help="doc:<sha256>")]) -> None:
    """Delete a document and the facts only it stated (facts other documents also state stay)."""
    with command_database() as (driver, database):
        writer.delete_document(driver, database, key)
    console.print(gettext("deleted {key}").format(key=key))


@documents_app.command("finish")
def finish_command() -> None:
    """Finish what a crash or a stop left half-way: the retraction of replaced or deleted documents.

    Large documents whose writing did not finish are listed: ingest their files again to finish them.
    """
    from casegraph.graph.retraction import pending_documents, retract_retired

    def started(key: str) -> None:
        console.print(gettext("taking away the facts of {key} …").format(key=key))

    with command_database() as (driver, database):
        done = retract_retired(driver, database, on_document=started)
        pending = pending_documents(driver, database)
    console.print(gettext("{n} retraction(s) finished").format(n=done))
    for row in pending:
        console.print(gettext("half-written, ingest it again to finish it: {path} ({key})").format(
            path=row["path"], key=row["key"]))


def evaluate_resolution_command(
    truth: Annotated[Path, typer.Option(help="the corpus' truth.json; its folder holds one folder per agency")],
    ingest_first: Annotated[bool, typer.Option("--ingest/--no-ingest",
                                               help="register the truth's agencies and ingest their folders first")] = True,
    workers: Annotated[int, typer.Option(min=1, help="extraction processes")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="print the figures as JSON")] = False,
    misses: Annotated[bool, typer.Option("--misses", help="also print the missed person pairs grouped by cause")]
    = False,
) -> None:
    """Pairwise precision/recall of person and company identity against a generated corpus' truth."""
    from casegraph.ingest.run import ingest

    settings = load_settings()
    try:
        data = load_truth(truth)
        driver = get_driver(settings)
        with unavailable_as_error(settings):
            if ingest_first:
                for agency in data.get("agencies", []):
                    driver.execute_query(cypher("agency_upsert"), id=agency["id"], kind=agency["kind"],
                                         region=agency["region"], name=agency.get("name") or agency["id"],
                                         default_sharing="shared", database_=settings.neo4j_database)
                for agency in data.get("agencies", []):
                    folder = truth.parent / agency["id"]
                    if folder.is_dir():
                        report = ingest(driver, settings.neo4j_database, [folder], agency["id"], settings.home,
                                        workers=workers)
                        err.print(f"{agency['id']}: {report.ingested} ingested, {report.unchanged} unchanged, "
                                  f"{len(report.quarantined)} quarantined; {report.linked.merges} merges, "
                                  f"{report.linked.candidates} candidates")
            result = evaluate_resolution(driver, settings.neo4j_database, truth)
            missed: list[str] = []
            if misses:
                candidates = open_candidates(driver, settings.neo4j_database)
                pairs = {frozenset((a, b)) for a, b, _ in candidates}
                grouped = classify_misses(driver, settings.neo4j_database, result.person_mentions, pairs)
                missed = [format_misses(grouped), *what_if_confirmed(result.person_mentions, candidates)]
    except CasegraphError as exc:
        raise _fail(exc) from exc
    if as_json:
        console.print_json(json.dumps({
            kind: {"precision": s.precision, "recall": s.recall, "tp": s.true_positive, "fp": s.false_positive,
                   "fn": s.false_negative, "aligned": result.aligned[kind], "not_extracted": result.not_extracted[kind]}
            for kind, s in result.scores.items()} | {
            "same_name_pairs": result.same_name_pairs, "same_name_kept_apart": result.same_name_kept_apart}))
    else:
        console.print(format_evaluation(result), highlight=False)
    for line in missed:
        console.print(line, highlight=False)
