"""`casegraph watch add|list|remove`: watches for an agency (all its users) or one of its users, as
POST/GET/DELETE /v1/watches make them; run by the local admin and audited as such."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from casegraph.access import Caller
from casegraph.alerts.watches import WATCH_KINDS, watch_spec
from casegraph.api.access_commands import _audited, console, local_admin
from casegraph.cli_database import command_database
from casegraph.graph import alert_store
from casegraph.i18n import gettext

watch_app = typer.Typer(help="Watches: hear when another agency's documents touch an entity, case or ring.",
                        no_args_is_help=True)

AgencyOption = Annotated[str, typer.Option(help="the watching agency")]
UserOption = Annotated[str | None, typer.Option(help="one user of that agency (default: every user of it)")]


def _owner(agency: str, user: str | None) -> Caller:
    return Caller(user=user or local_admin(), agency=agency, role="investigator")


@watch_app.command("add")
def watch_add(
    kind: Annotated[str, typer.Argument(help=" | ".join(WATCH_KINDS))],
    value: Annotated[str | None, typer.Argument(help="identifier in any spelling, entity key, case key or ring "
                                                     "id (none for open_cases)")] = None,
    agency: AgencyOption = "",
    user: UserOption = None,
    note: Annotated[str | None, typer.Option(help="why (shown with the watch)")] = None,
) -> None:
    """Watch an identifier, entity, case or ring, or every open case of the agency (open_cases)."""
    if not agency:
        raise typer.BadParameter("name the watching agency with --agency")
    with command_database() as (driver, db):
        spec = watch_spec(kind, value, agency)
        watch = _audited(driver, db, "watch_add", {"kind": kind, "value": value, "agency": agency, "user": user},
                         lambda: alert_store.add_watch(driver, db, _owner(agency, user), spec,
                                                       for_agency=user is None, note=note),
                         lambda w: [w["id"]])
    whom = user or gettext("every user of {agency}").format(agency=agency)
    console.print(gettext("watch {id} ({kind} {target}) for {whom}; {n} entities watched now").format(
        id=watch["id"], kind=watch["kind"], target=watch.get("target") or watch.get("scope"), whom=whom,
        n=watch["watched"]))


@watch_app.command("list")
def watch_list(agency: AgencyOption, user: UserOption = None,
               derived: Annotated[bool, typer.Option(help="also the parties case watches cover")] = False) -> None:
    """The agency's watches (and the user's own, with --user), as JSON lines."""
    with command_database() as (driver, db):
        watches = _audited(driver, db, "watch_list", {"agency": agency, "user": user},
                           lambda: alert_store.list_watches(driver, db, _owner(agency, user), derived=derived,
                                                            limit=10_000),
                           lambda ws: [w["id"] for w in ws])
    for watch in watches:
        print(json.dumps(watch, ensure_ascii=False, default=str))


@watch_app.command("remove")
def watch_remove(watch_id: Annotated[str, typer.Argument(help="the watch's id (wat-…)")], agency: AgencyOption,
                 user: UserOption = None) -> None:
    """Remove a watch (and the watches a case watch derived)."""
    with command_database() as (driver, db):
        _audited(driver, db, "watch_remove", {"id": watch_id, "agency": agency, "user": user},
                 lambda: alert_store.remove_watch(driver, db, _owner(agency, user), watch_id), lambda _: [watch_id])
    console.print(gettext("watch {id} removed").format(id=watch_id))
