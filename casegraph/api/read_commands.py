"""`casegraph lookup|search|entity|rings …`: the API's reads for a user at the command line.

The CLI caller is a registered user named with `--as USER`: the command acts with that user's
agency and role, exactly as an API call with the user's key would (the same service functions, the
same sharing, masking for masked roles, the same role checks and stated purpose), and each call is
written to the audit log under that user with method `CLI`. A revoked user cannot act.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, TypeVar

import typer
from neo4j import Driver
from rich.console import Console
from rich.table import Table

from casegraph.access import Caller, mask_value
from casegraph.access.roles import require
from casegraph.api.access_commands import _audited
from casegraph.api.auth import _purpose_text
from casegraph.cli_database import command_database
from casegraph.graph import lookups, users
from casegraph.graph import rings as ring_store
from casegraph.i18n import N_, gettext
from casegraph.i18n.formats import member_role, word
from casegraph.i18n.tables import ring_table

console = Console()
rings_app = typer.Typer(help="Rings that ring detection stored: list, show, review.", no_args_is_help=True)
T = TypeVar("T")


class OutputFormat(StrEnum):
    json = "json"
    text = "text"


class ReviewStatus(StrEnum):
    confirmed = "confirmed"
    dismissed = "dismissed"


AsUser = Annotated[str, typer.Option("--as", help="the registered user you act as (its agency and role apply)")]
Purpose = Annotated[str, typer.Option(help="the case reference this read serves (audited)")]
Format = Annotated[OutputFormat, typer.Option("--format", help="json, or text: a readable table")]


def _read(user: str, action: str, params: dict[str, Any], run: Callable[[Driver, str, Caller], T],
          returned: Callable[[T], list[str]], purpose: str | None = None, permission: str = "lookup") -> T:
    """Run one read as `user`, checked, masked and audited as the API does it; a casegraph error ends the command."""
    with command_database() as (driver, database):
        caller = dataclasses.replace(users.active_user(driver, database, user), purpose=purpose)

        def checked() -> T:
            require(caller.role, permission)  # type: ignore[arg-type]
            if purpose is not None:
                _purpose_text(purpose, None)
            result = run(driver, database, caller)
            # Masked roles see identifiers masked in everything the command prints (JSON or tables, the
            # ring review's verdict too), by the API's one masking function; the audit names the keys returned.
            return mask_value(result) if caller.masked else result

        return _audited(driver, database, action, params, checked, returned, purpose=purpose, caller=caller)


def _keys(result: dict[str, Any]) -> list[str]:
    if not result.get("visible", True):
        return []
    keys = [result["key"]] if "key" in result else []
    for field in ("cases", "documents", "neighbors", "results", "held_by", "used_by"):
        keys += [item["key"] for item in result.get(field) or []]
    return keys


def _emit_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=1, default=str))


# An entity's properties as the text format names them (the JSON keeps the API's field names).
ENTITY_FIELDS = {"name": N_("name"), "aliases": N_("aliases"), "ric": N_("resident ID"), "uscc": N_("USCC"),
                 "number": N_("number"), "holder": N_("holder"), "bank": N_("bank"), "birth_date": N_("birth date"),
                 "regions": N_("regions")}
COLUMNS = {"number": N_("case number"), "agency": N_("agency"), "key": N_("key"), "name": N_("name"),
           "label": N_("type")}
LISTS = {"cases": N_("cases"), "neighbors": N_("neighbours")}


def _emit_entity(result: dict[str, Any], output: OutputFormat) -> None:
    if output is OutputFormat.json:
        _emit_json(result)
        return
    if not result.get("visible", True):
        table = Table(title=gettext("hit: held by agencies you may not see"))
        table.add_column(gettext("agency"))
        table.add_column(gettext("cases"), justify="right")
        for holder in result.get("holders", []):
            table.add_row(holder["agency"], str(holder["cases"]))
        console.print(table)
        console.print(gettext("ask for access: `casegraph access request`"))
        return
    props = result.get("properties") or {}
    title = f"{props.get('name') or result['key']}  ({word(result.get('label', ''))} {result['key']})"
    table = Table(title=title, show_header=False)
    for field, heading in ENTITY_FIELDS.items():
        value = props.get(field)
        if value:
            table.add_row(gettext(heading), ", ".join(map(str, value)) if isinstance(value, list) else str(value))
    for field, heading in (("held_by", N_("holder")), ("used_by", N_("user"))):
        if result.get(field):
            parties = (f"{p.get('name') or p['key']} ({p['key']})" for p in result[field])
            table.add_row(gettext(heading), ", ".join(parties))
    if result.get("agencies"):
        table.add_row(gettext("agencies"), ", ".join(result["agencies"]))
    console.print(table)
    for field, columns in (("cases", ("number", "agency", "key")), ("neighbors", ("name", "label", "key"))):
        items = result.get(field) or []
        if items:
            listing = Table(title=gettext(LISTS[field]))
            for column in columns:
                listing.add_column(gettext(COLUMNS[column]))
            for item in items:
                cells = [str(item.get(column) or "") for column in columns]
                listing.add_row(*(word(cell) if column == "label" else cell for column, cell in zip(columns, cells,
                                                                                                   strict=True)))
            console.print(listing)


def lookup_command(
    identifier: Annotated[str, typer.Argument(metavar="IDENTIFIER", help="resident ID, USCC, mobile or account number, "
                                              "in any usual spelling")],
    user: AsUser,
    purpose: Purpose,
    output: Format = OutputFormat.json,
) -> None:
    """Look up an identifier across agencies, as USER sees it."""
    result = _read(user, "lookup", {"identifier": identifier},
                   lambda d, db, c: lookups.lookup(d, db, c, identifier), _keys, purpose)
    _emit_entity(result, output)


def entity_command(
    key: Annotated[str, typer.Argument(metavar="KEY", help="an entity key: ric:…, uscc:…, phone:…, acct:…, name:…")],
    user: AsUser,
    purpose: Purpose,
    neighbors: Annotated[bool, typer.Option("--neighbors", help="also what lies within --depth hops")] = False,
    depth: Annotated[int, typer.Option(min=1, max=3, help="hops for --neighbors")] = 1,
    output: Format = OutputFormat.json,
) -> None:
    """An entity by its key, and with --neighbors what lies around it, as USER sees it."""
    def run(d: Driver, db: str, c: Caller) -> dict[str, Any]:
        return lookups.neighbors(d, db, c, key, depth, 200) if neighbors else lookups.entity(d, db, c, key)

    result = _read(user, "entity_neighbors" if neighbors else "entity", {"key": key, "depth": depth}, run, _keys,
                   purpose)
    _emit_entity(result, output)


def search_command(
    name: Annotated[str, typer.Argument(metavar="NAME",
                                        help="a person's or organisation's name (2 characters or more)")],
    user: AsUser,
    purpose: Purpose,
    limit: Annotated[int, typer.Option(min=1, max=200, help="at most this many results")] = 50,
    output: Format = OutputFormat.json,
) -> None:
    """People and organisations by name, as USER's agency's documents write it; hit/no-hit for the rest."""
    result = _read(user, "search", {"name": name, "limit": limit},
                   lambda d, db, c: lookups.search(d, db, c, name, limit), _keys, purpose)
    if output is OutputFormat.json:
        _emit_json(result)
        return
    table = Table(title=gettext("search: {name}").format(name=name))
    for column in ("key", "label", "name"):
        table.add_column(gettext(column))
    for found in result["results"]:
        table.add_row(found["key"], found["label"], found["name"] or "")
    console.print(table)
    if result.get("hidden"):
        console.print(gettext("also held by agencies you may not see: {agencies}").format(
            agencies=", ".join(h["agency"] for h in result["hidden"].get("holders", []))))


@rings_app.command("list")
def rings_list(
    user: AsUser,
    run: Annotated[str | None, typer.Option(help="a detection run's id (default: the latest)")] = None,
    min_score: Annotated[float | None, typer.Option(min=0, help="only rings scoring at least this")] = None,
    region: Annotated[str | None, typer.Option(help="only rings reaching this region, e.g. SC")] = None,
    typology: Annotated[str | None, typer.Option(help="only rings of this typology, e.g. cycle")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="at most this many rings")] = 50,
    output: Format = OutputFormat.json,
) -> None:
    """The rings of a detection run that USER's agency may see (the same ids and fields as GET /v1/rings)."""
    page = _read(user, "list_rings", {"run": run, "min_score": min_score, "region": region, "typology": typology},
                 lambda d, db, c: ring_store.list_rings(d, db, c.agency, run=run, min_score=min_score, region=region,
                                                        typology=typology, limit=limit),
                 lambda p: [r["id"] for r in p["rings"]], permission="lookup")
    if output is OutputFormat.json:
        _emit_json(page)
        return
    console.print(ring_table(page["rings"], gettext("rings of run {run}").format(run=page.get("run") or "-")))


@rings_app.command("show")
def rings_show(
    ring_id: Annotated[str, typer.Argument(metavar="RING", help="a ring's id, e.g. run-…-0004")],
    user: AsUser,
    output: Format = OutputFormat.json,
) -> None:
    """One ring, member by member (key, type, name and why each is in), as GET /v1/rings/{id}."""
    ring = _read(user, "get_ring", {"ring": ring_id},
                 lambda d, db, c: ring_store.get_ring(d, db, c.agency, ring_id),
                 lambda r: [r["id"], *(m["key"] for m in r["members"])], permission="lookup")
    if output is OutputFormat.json:
        _emit_json(ring)
        return
    console.print(ring_table([ring], gettext("ring {ring}").format(ring=ring_id)))
    members = Table(title=gettext("members"))
    for heading in (N_("key"), N_("type"), N_("name"), N_("role in the ring")):
        members.add_column(gettext(heading))
    for member in ring["members"]:
        members.add_row(member["key"], word(member["type"]), member.get("name") or "", member_role(member["why"]))
    console.print(members)


@rings_app.command("review")
def rings_review(
    ring_id: Annotated[str, typer.Argument(metavar="RING", help="a ring's id, e.g. run-…-0004")],
    user: AsUser,
    status: Annotated[ReviewStatus, typer.Option(help="the verdict")],
    note: Annotated[str | None, typer.Option(help="why, for the record and the bundle")] = None,
) -> None:
    """Confirm or dismiss a ring (analysts and admins), as POST /v1/rings/{id}/review; audited."""
    verdict = _read(user, "ring_review", {"ring": ring_id, "status": status.value, "note": note},
                    lambda d, db, c: ring_store.review_ring(d, db, c.agency, c.user, ring_id, status.value, note),
                    lambda v: [v["id"]], permission="detect_rings")
    _emit_json(verdict)
