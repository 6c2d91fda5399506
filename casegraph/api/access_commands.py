"""`casegraph users|access|audit|documents …`: the same operations as the API, for the local admin.

The CLI runs on the database's host with its credentials, so it is trusted as a named local
admin ("local-admin:<os user>"); each command that reads or changes case data, users or grants is
written to the audit log under that name, like an API call.
"""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from neo4j import Driver
from rich.console import Console

from casegraph.access import Caller
from casegraph.cli_database import command_database
from casegraph.errors import CasegraphError
from casegraph.graph import audit_log, lookups, sharing, users
from casegraph.graph.audit_log import AuditRecord
from casegraph.i18n import gettext
from casegraph.i18n.formats import word
from casegraph.settings import load_settings

console = Console()
err = Console(stderr=True)
users_app = typer.Typer(help="Users and their API keys.", no_args_is_help=True)
access_app = typer.Typer(help="Access requests between agencies.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log (read-only).", no_args_is_help=True)
documents_app = typer.Typer(help="Documents: sharing.", no_args_is_help=True)

LOCAL_AGENCY = "local"
T = TypeVar("T")


def local_admin() -> str:
    return f"local-admin:{getpass.getuser()}"


def _audited(driver: Driver, database: str, action: str, params: dict[str, Any], run: Callable[[], T],
             returned: Callable[[T], list[str]], purpose: str | None = None, caller: Caller | None = None) -> T:
    """Run `run` and append one audit record for it, failed or not (as `caller`, default the local admin)."""
    status, result = 500, None
    try:
        result = run()
        status = 200
        return result
    except CasegraphError as exc:
        from casegraph.api.errors import status_of

        status = status_of(exc)
        raise
    finally:
        who = caller or Caller(user=local_admin(), agency=LOCAL_AGENCY, role="admin")
        record = AuditRecord(user=who.user, agency=who.agency, role=who.role, action=action, method="CLI",
                             path=f"casegraph {action.replace('_', ' ')}", params=params, purpose=purpose,
                             returned=returned(result) if result is not None else [], status=status)
        audit_log.append_now(driver, database, [record])


def _ship_orphaned_spools(driver: Driver, database: str) -> None:
    """Records that API processes answered but died before shipping belong in what is read."""
    shipped = audit_log.ship_orphaned_journals(driver, database, load_settings().audit_spool)
    if shipped:
        err.print(gettext("{n} audit records of API processes that stopped without shipping them were shipped first")
                  .format(n=shipped))


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="user name: letters, digits, - _ . @")],
    agency: Annotated[str, typer.Option(help="the user's agency id")],
    role: Annotated[str, typer.Option(help="investigator | prosecutor | analyst | admin")],
) -> None:
    """Add a user and print its API key, once: only its hash is stored."""
    with command_database() as (driver, db):
        user, key = _audited(driver, db, "users_add", {"name": name, "agency": agency, "role": role},
                             lambda: users.add_user(driver, db, name, agency, role, created_by=local_admin()),
                             lambda r: [r[0]["name"]])
    err.print(gettext("user {name} ({role}, {agency}) added; the API key follows, shown this once:").format(
        name=user["name"], role=user["role"], agency=user["agency"]))
    print(key)


@users_app.command("rotate")
def users_rotate(name: Annotated[str, typer.Argument(help="the user who gets a new key")]) -> None:
    """Give a user a new API key (printed once); the old key stops working."""
    with command_database() as (driver, db):
        user, key = _audited(driver, db, "users_rotate", {"name": name},
                             lambda: users.rotate_key(driver, db, name), lambda r: [r[0]["name"]])
    err.print(gettext("user {name} ({role}, {agency}) has a new API key, shown this once:").format(
        name=user["name"], role=user["role"], agency=user["agency"]))
    print(key)


@users_app.command("list")
def users_list(agency: Annotated[str | None, typer.Option(help="only this agency's users")] = None) -> None:
    """List users (never their keys)."""
    with command_database() as (driver, db):
        rows = _audited(driver, db, "users_list", {"agency": agency}, lambda: users.list_users(driver, db, agency),
                        lambda r: [u["name"] for u in r])
    for u in rows:
        state = f"revoked {u['revoked_at']}" if u.get("revoked_at") else "active"
        console.print(f"{u['name']:<32} {u['agency']:<20} {u['role']:<13} {state}")


@users_app.command("revoke")
def users_revoke(name: Annotated[str, typer.Argument(help="the user whose key to revoke")]) -> None:
    """Revoke a user's API key at once."""
    with command_database() as (driver, db):
        user = _audited(driver, db, "users_revoke", {"name": name},
                        lambda: users.revoke_user(driver, db, name, None), lambda r: [r["name"]])
    console.print(gettext("user {name} revoked at {at}").format(name=user["name"], at=user["revoked_at"]))


@access_app.command("request")
def access_request(
    as_agency: Annotated[str, typer.Option("--as-agency", help="the asking agency")],
    holder: Annotated[str, typer.Option(help="the agency that holds the documents (from the hit/no-hit answer)")],
    purpose: Annotated[str, typer.Option(help="the case reference the access serves")],
    identifier: Annotated[str | None, typer.Option(help="the identifier looked up")] = None,
    key: Annotated[str | None, typer.Option(help="or the entity key looked up")] = None,
) -> None:
    """Ask another agency for access to what it holds about an identifier or key."""
    if (identifier is None) == (key is None):
        raise typer.BadParameter("give either --identifier or --key")
    caller = Caller(user=local_admin(), agency=as_agency, role="admin", purpose=purpose)

    def create(driver: Driver, db: str) -> dict[str, Any]:
        if identifier is not None:
            label, entity_key = lookups.identifier_key(identifier)
            lookups.lookup(driver, db, caller, identifier)
        else:
            entity_key = str(key)
            label = lookups.entity_label(driver, db, caller, entity_key)
        return sharing.create_request(driver, db, requester=caller.user, requester_agency=as_agency,
                                      holder_agency=holder, query=identifier or entity_key, entity_key=entity_key,
                                      entity_label=label, purpose=purpose)

    with command_database() as (driver, db):
        params = {"as_agency": as_agency, "holder": holder, "identifier": identifier, "key": key}
        created = _audited(driver, db, "access_request", params, lambda: create(driver, db), lambda r: [r["id"]],
                           purpose=purpose)
    console.print(gettext("request {id} to {holder}: pending").format(id=created["id"], holder=holder))


def _decide(request_id: str, approve: bool, days: int, note: str | None) -> None:
    with command_database() as (driver, db):
        action = "access_approve" if approve else "access_deny"
        result = _audited(driver, db, action, {"id": request_id, "days": days, "note": note},
                          lambda: sharing.decide(driver, db, request_id, approve=approve, agency=None,
                                                 decided_by=local_admin(), days=days, note=note),
                          lambda r: [r["id"]])
    extra = gettext(", {n} documents until {until}").format(n=result.get("documents", 0), until=result["expires_at"]) \
        if approve else ""
    console.print(f"{gettext('request {id}: {status}').format(id=request_id, status=word(result['status']))}{extra}")


@access_app.command("approve")
def access_approve(request_id: Annotated[str, typer.Argument(metavar="ID")],
                   days: Annotated[int, typer.Option(help="how long the grant lasts")] = 30,
                   note: Annotated[str | None, typer.Option()] = None) -> None:
    """Approve a pending request: a time-limited grant over the holder's matching documents."""
    _decide(request_id, True, days, note)


@access_app.command("deny")
def access_deny(request_id: Annotated[str, typer.Argument(metavar="ID")],
                note: Annotated[str | None, typer.Option()] = None) -> None:
    """Deny a pending request."""
    _decide(request_id, False, 30, note)


@access_app.command("list")
def access_list(agency: Annotated[str | None, typer.Option(help="requests this agency made or received")] = None,
                status: Annotated[str | None, typer.Option(help="pending | approved | denied")] = None) -> None:
    """List access requests."""
    with command_database() as (driver, db):
        rows = _audited(driver, db, "access_list", {"agency": agency, "status": status},
                        lambda: sharing.list_requests(driver, db, agency, status), lambda r: [x["id"] for x in r])
    for r in rows:
        console.print(f"{r['id']}  {r['status']:<8} {r['requester_agency']} → {r['holder_agency']}  "
                      f"{r['query']}  ({r['purpose']})")


@audit_app.command("export")
def audit_export(
    out: Annotated[Path, typer.Option(help="JSONL file to write, `-` for standard output")],
    agency: Annotated[str | None, typer.Option()] = None,
    user: Annotated[str | None, typer.Option()] = None,
    action: Annotated[str | None, typer.Option()] = None,
    since: Annotated[str | None, typer.Option(help="ISO time, inclusive (UTC)")] = None,
    until: Annotated[str | None, typer.Option(help="ISO time, exclusive (UTC)")] = None,
) -> None:
    """Export audit records as JSON lines, in sequence order, exactly as stored (hashes re-checkable)."""
    filters = {"agency": agency, "user": user, "action": action, "since": since, "until": until}
    with command_database() as (driver, db):
        _ship_orphaned_spools(driver, db)
        count = 0
        stream = sys.stdout if str(out) == "-" else out.open("w", encoding="utf-8")
        try:
            for event in audit_log.iter_all(driver, db, filters):
                stream.write(json.dumps(event, ensure_ascii=False, sort_keys=True) + "\n")
                count += 1
        finally:
            if stream is not sys.stdout:
                stream.close()
        _audited(driver, db, "audit_export", {k: v for k, v in filters.items() if v}, lambda: count,
                 lambda n: [f"audit:{n} records"])
    err.print(gettext("{n} audit records written to {out}").format(n=count, out=out))


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the audit log's hash chain: exit code 1 when a record was edited, removed or reordered."""
    with command_database() as (driver, db):
        _ship_orphaned_spools(driver, db)
        problems = audit_log.verify(driver, db)
    for problem in problems[:20]:
        err.print(f"[red]{problem}[/red]")
    if problems:
        raise typer.Exit(1)
    console.print(gettext("the audit chain holds"))


@documents_app.command("sharing")
def documents_sharing(
    key: Annotated[str, typer.Argument(help="document key doc:<sha256>")],
    level: Annotated[str, typer.Option(help="shared | restricted | sealed")],
    with_: Annotated[list[str] | None, typer.Option("--with", help="agencies a restricted document is shared with")]
    = None,
) -> None:
    """Change a document's sharing level (the local admin acts for the owner agency)."""
    with command_database() as (driver, db):
        doc = _audited(driver, db, "set_sharing", {"key": key, "level": level, "with": with_ or []},
                       lambda: sharing.set_sharing(driver, db, key, level, with_ or [], None), lambda r: [r["key"]])
    console.print(f"{doc['key']} ({doc['agency']}): {doc['sharing']} {', '.join(doc['shared_with'] or [])}")
