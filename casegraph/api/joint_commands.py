"""`casegraph joint alert|open|join|note|list`: alert handling and 联合处置 records, as the /v1 routes
make them, for an agency (or one of its users); run by the local admin and audited as such."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from casegraph.access import Caller
from casegraph.api.access_commands import _audited, console, local_admin
from casegraph.cli_database import command_database
from casegraph.graph import joint_handling
from casegraph.graph.joint_handling import ALERT_STATES
from casegraph.i18n import gettext

joint_app = typer.Typer(help="Handle alerts and work a ring together with other agencies (联合处置).",
                        no_args_is_help=True)

AgencyOption = Annotated[str, typer.Option(help="the acting agency")]
UserOption = Annotated[str | None, typer.Option(help="the acting user of that agency (default: the local admin)")]
NoteOption = Annotated[str | None, typer.Option(help="a note kept in the record's log")]


def _as(agency: str, user: str | None) -> Caller:
    return Caller(user=user or local_admin(), agency=agency, role="investigator")


def _print(record: dict[str, object]) -> None:
    print(json.dumps(record, ensure_ascii=False, default=str))


@joint_app.command("alert")
def alert_command(alert_id: Annotated[str, typer.Argument(help="the alert's id (alt-…)")],
                  state: Annotated[str, typer.Argument(help=" | ".join(ALERT_STATES))], agency: AgencyOption,
                  user: UserOption = None,
                  assignee: Annotated[str | None, typer.Option(help="the user it is assigned to")] = None,
                  note: NoteOption = None) -> None:
    """Acknowledge, assign or close an alert of the agency."""
    with command_database() as (driver, db):
        done = _audited(driver, db, "alert_handling", {"id": alert_id, "state": state, "agency": agency},
                        lambda: joint_handling.handle_alert(driver, db, _as(agency, user), alert_id, state,
                                                            assignee, note), lambda _: [alert_id])
    console.print(gettext("alert {id}: {state}").format(id=alert_id, state=done["state"]))


@joint_app.command("open")
def open_command(ring: Annotated[str, typer.Argument(help="a ring the agency may see")], agency: AgencyOption,
                 user: UserOption = None, note: NoteOption = None) -> None:
    """Open a joint handling record on a ring."""
    with command_database() as (driver, db):
        joint = _audited(driver, db, "joint_open", {"ring": ring, "agency": agency},
                         lambda: joint_handling.open_joint(driver, db, _as(agency, user), ring, note),
                         lambda j: [j["id"]])
    _print(joint)


@joint_app.command("join")
def join_command(joint_id: Annotated[str, typer.Argument(help="the record's id (jh-…)")], agency: AgencyOption,
                 user: UserOption = None, note: NoteOption = None) -> None:
    """Join a joint handling record on a ring the agency may see."""
    with command_database() as (driver, db):
        joint = _audited(driver, db, "joint_join", {"id": joint_id, "agency": agency},
                         lambda: joint_handling.join_joint(driver, db, _as(agency, user), joint_id, note),
                         lambda _: [joint_id])
    _print(joint)


@joint_app.command("note")
def note_command(joint_id: Annotated[str, typer.Argument(help="the record's id (jh-…)")],
                 text: Annotated[str, typer.Argument(help="the note")], agency: AgencyOption,
                 user: UserOption = None) -> None:
    """Add a note to a joint handling record the agency is in."""
    with command_database() as (driver, db):
        joint = _audited(driver, db, "joint_note", {"id": joint_id, "agency": agency},
                         lambda: joint_handling.note_joint(driver, db, _as(agency, user), joint_id, text),
                         lambda _: [joint_id])
    _print(joint)


@joint_app.command("list")
def list_command(agency: AgencyOption,
                 ring: Annotated[str | None, typer.Option(help="only those on this ring or its line")] = None) -> None:
    """The joint handling records the agency is in, as JSON lines."""
    with command_database() as (driver, db):
        found = _audited(driver, db, "joint_list", {"agency": agency, "ring": ring},
                         lambda: joint_handling.list_joint(driver, db, _as(agency, None), ring, limit=500),
                         lambda js: [j["id"] for j in js])
    for joint in found:
        _print(joint)
