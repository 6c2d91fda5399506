"""Tasks of a joint handling (联合处置) record (issue 19): an owner (an active user of an agency in the
record), a due date and a state (open or done). Only the agencies in the record see or change them,
as they alone see its notes; each change is kept in the task's log with who and when.

Due dates are calendar days in China time (UTC+8), where the agencies work: a task is overdue from
the day after its due date.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from neo4j import Driver

from casegraph.access import Caller
from casegraph.errors import InvalidInput, NotFound
from casegraph.graph.joint_handling import entry, with_log
from casegraph.graph.ledgers import CHINA_TZ
from casegraph.graph.queries import cypher

TASK_STATES = ("open", "done")


def today() -> date:
    return datetime.now(CHINA_TZ).date()


def due_date(text: str) -> date:
    """A due date as typed (YYYY-MM-DD); InvalidInput otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"a due date is written YYYY-MM-DD, not {text!r}") from None


def add_task(driver: Driver, database: str, caller: Caller, joint_id: str, title: str, owner: str, due: date,
             note: str | None = None) -> dict[str, Any]:
    if not title.strip():
        raise InvalidInput("a task needs a title")
    records, _, _ = driver.execute_query(
        cypher("joint_task_create"), joint=joint_id, agency=caller.agency, user=caller.user,
        id=f"jt-{uuid.uuid4().hex[:16]}", title=title.strip(), owner=owner, due=due.isoformat(),
        today=today().isoformat(), entry=entry(caller, "created", note, owner=owner, due=due.isoformat()),
        database_=database)
    if not records:
        raise NotFound(f"no joint handling {joint_id!r} your agency is in")
    if not records[0]["owner_ok"]:
        raise InvalidInput(f"{owner!r} is not an active user of an agency in joint handling {joint_id!r}")
    return with_log(dict(records[0]["task"]))


def list_tasks(driver: Driver, database: str, caller: Caller, *, joint: str | None = None, ring: str | None = None,
               owner: str | None = None, state: str | None = None, overdue: bool = False, skip: int = 0,
               limit: int = 100) -> list[dict[str, Any]]:
    """The tasks of the records the caller's agency is in, soonest due first."""
    if state is not None and state not in TASK_STATES:
        raise InvalidInput(f"state must be one of {', '.join(TASK_STATES)}, not {state!r}")
    records, _, _ = driver.execute_query(
        cypher("joint_task_list"), agency=caller.agency, joint=joint, ring=ring, owner=owner, state=state,
        overdue=overdue, today=today().isoformat(), skip=skip, limit=limit, database_=database, routing_="r")
    return [with_log(dict(r["task"])) for r in records]


def set_task_state(driver: Driver, database: str, caller: Caller, task_id: str, state: str,
                   note: str | None = None) -> dict[str, Any]:
    """Mark a task done (or open again); setting the state it has changes nothing."""
    if state not in TASK_STATES:
        raise InvalidInput(f"state must be one of {', '.join(TASK_STATES)}, not {state!r}")
    records, _, _ = driver.execute_query(
        cypher("joint_task_state"), id=task_id, agency=caller.agency, user=caller.user, state=state,
        today=today().isoformat(), entry=entry(caller, state, note), database_=database)
    if not records:
        raise NotFound(f"no task {task_id!r} of a joint handling your agency is in")
    return with_log(dict(records[0]["task"]))
