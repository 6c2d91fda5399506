"""`casegraph joint alert|open|join|note|list` and `joint task add|list|done`: alert handling, 联合处置
records and their tasks, as the /v1 routes make them, for an agency (or one of its users); run by the
local admin and audited as such."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from casegraph.access import Caller
from casegraph.api.access_commands import _audited, console, local_admin
from casegraph.cli_database import command_database
from casegraph.graph import joint_handling, joint_tasks
from casegraph.graph.joint_handling import ALERT_STATES
from casegraph.i18n import gettext

joint_app = typer.Typer(help="Handle alerts and work a ring together with other agencies (联合处置).",
                        no_args_is_help=True)
task_app = typer.Typer(help="Tasks of a joint handling record: an owner, a due date, open or done.",
                       no_args_is_help=True)
joint_app.add_typer(task_app, name="task")

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


@task_app.command("add")
def task_add_command(joint_id: Annotated[str, typer.Argument(help="the record's id (jh-…)")],
                     title: Annotated[str, typer.Argument(help="what is to be done")], agency: AgencyOption,
                     owner: Annotated[str, typer.Option(help="the user who does it (of an agency in the record)")],
                     due: Annotated[str, typer.Option(help="the day it is due, YYYY-MM-DD")],
                     user: UserOption = None, note: NoteOption = None) -> None:
    """Give a joint handling record the agency is in a task."""
    due_day = joint_tasks.due_date(due)
    with command_database() as (driver, db):
        task = _audited(driver, db, "joint_task_add", {"id": joint_id, "agency": agency, "owner": owner, "due": due},
                        lambda: joint_tasks.add_task(driver, db, _as(agency, user), joint_id, title, owner, due_day,
                                                     note), lambda t: [joint_id, t["id"]])
    _print(task)


@task_app.command("list")
def task_list_command(agency: AgencyOption,
                      joint: Annotated[str | None, typer.Option(help="only this record's tasks")] = None,
                      ring: Annotated[str | None, typer.Option(help="only tasks on this ring or its line")] = None,
                      owner: Annotated[str | None, typer.Option(help="only this user's tasks")] = None,
                      overdue: Annotated[bool, typer.Option(help="only open tasks past their due date")] = False,
                      ) -> None:
    """The tasks of the records the agency is in, soonest due first, as JSON lines."""
    with command_database() as (driver, db):
        found = _audited(driver, db, "joint_task_list",
                         {"agency": agency, "joint": joint, "ring": ring, "owner": owner, "overdue": overdue},
                         lambda: joint_tasks.list_tasks(driver, db, _as(agency, None), joint=joint, ring=ring,
                                                        owner=owner, overdue=overdue, limit=500),
                         lambda ts: [t["id"] for t in ts])
    for task in found:
        _print(task)


@task_app.command("done")
def task_done_command(task_id: Annotated[str, typer.Argument(help="the task's id (jt-…)")], agency: AgencyOption,
                      user: UserOption = None, note: NoteOption = None,
                      reopen: Annotated[bool, typer.Option(help="open it again instead")] = False) -> None:
    """Mark a task of a record the agency is in done (or open again)."""
    state = "open" if reopen else "done"
    with command_database() as (driver, db):
        task = _audited(driver, db, "joint_task_state", {"id": task_id, "agency": agency, "state": state},
                        lambda: joint_tasks.set_task_state(driver, db, _as(agency, user), task_id, state, note),
                        lambda _: [task_id])
    done = task["state"] == "done"
    console.print((gettext("task {id} done") if done else gettext("task {id} open again")).format(id=task_id))
