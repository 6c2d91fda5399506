"""Alert handling and joint handling (联合处置) over HTTP (issue 19).

An alert is acknowledged, assigned or closed by its agency; a joint handling record links the
agencies working one ring, visible only to them, with its tasks (an owner, a due date, open or done).
Every call is audited by the /v1 audit layer.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from casegraph.access import Caller
from casegraph.api.auth import AUTHENTICATED, allowed_to, returned
from casegraph.api.deps import GraphDep
from casegraph.api.masking_layer import masked_answer
from casegraph.graph import joint_handling, joint_tasks

router = APIRouter(prefix="/v1", tags=["alerts"], dependencies=AUTHENTICATED)
Reader = Annotated[Caller, Depends(allowed_to("lookup"))]
Note = Field(default=None, max_length=2000)


class AlertHandling(BaseModel):
    state: Literal["acknowledged", "assigned", "closed"]
    assignee: str | None = Field(default=None, max_length=100, description="the user of your agency (assigned)")
    note: str | None = Note


class JointOpen(BaseModel):
    ring: str = Field(max_length=100, description="a ring your agency may see")
    note: str | None = Note


class JointNote(BaseModel):
    note: str | None = Note


class TaskCreate(BaseModel):
    title: str = Field(min_length=1, max_length=500)
    owner: str = Field(max_length=100, description="an active user of an agency in the record")
    due: date = Field(description="the day it is due (YYYY-MM-DD, China time)")
    note: str | None = Note


class TaskState(BaseModel):
    state: Literal["open", "done"]
    note: str | None = Note


@router.post("/alerts/{alert_id}/handling")
def handle_alert(request: Request, graph: GraphDep, caller: Reader, body: AlertHandling,
                 alert_id: Annotated[str, Path(max_length=100)]) -> dict[str, Any]:
    """Acknowledge, assign (to a user of your agency) or close an alert of yours or your agency's."""
    request.state.audit_body = body.model_dump(exclude_none=True)
    handled = joint_handling.handle_alert(graph.driver, graph.database, caller, alert_id, body.state,
                                          body.assignee, body.note)
    returned(request, [alert_id])
    return dict(masked_answer(request, caller, handled))


@router.post("/joint-handlings", status_code=201)
def open_joint(request: Request, graph: GraphDep, caller: Reader, body: JointOpen) -> dict[str, Any]:
    """Open a joint handling record on a ring your agency may see."""
    request.state.audit_body = body.model_dump(exclude_none=True)
    joint = joint_handling.open_joint(graph.driver, graph.database, caller, body.ring, body.note)
    returned(request, [joint["id"]])
    return dict(masked_answer(request, caller, joint))


@router.get("/joint-handlings")
def list_joint(request: Request, graph: GraphDep, caller: Reader,
               ring: Annotated[str | None, Query(max_length=100)] = None,
               skip: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
               limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict[str, Any]:
    """The joint handling records your agency is in (`ring`: on that ring or its line)."""
    found = joint_handling.list_joint(graph.driver, graph.database, caller, ring, skip, limit)
    returned(request, [j["id"] for j in found])
    return {"data": masked_answer(request, caller, found), "count": len(found)}


@router.post("/joint-handlings/{joint_id}/join")
def join_joint(request: Request, graph: GraphDep, caller: Reader, body: JointNote,
               joint_id: Annotated[str, Path(max_length=100)]) -> dict[str, Any]:
    """Join a joint handling record on a ring your agency may see."""
    request.state.audit_body = body.model_dump(exclude_none=True)
    joint = joint_handling.join_joint(graph.driver, graph.database, caller, joint_id, body.note)
    returned(request, [joint_id])
    return dict(masked_answer(request, caller, joint))


@router.post("/joint-handlings/{joint_id}/notes")
def note_joint(request: Request, graph: GraphDep, caller: Reader, body: JointNote,
               joint_id: Annotated[str, Path(max_length=100)]) -> dict[str, Any]:
    """Add a note to a joint handling record your agency is in."""
    request.state.audit_body = body.model_dump(exclude_none=True)
    joint = joint_handling.note_joint(graph.driver, graph.database, caller, joint_id, body.note or "")
    returned(request, [joint_id])
    return dict(masked_answer(request, caller, joint))


@router.post("/joint-handlings/{joint_id}/tasks", status_code=201)
def add_task(request: Request, graph: GraphDep, caller: Reader, body: TaskCreate,
             joint_id: Annotated[str, Path(max_length=100)]) -> dict[str, Any]:
    """Give a joint handling record your agency is in a task, owned by a user of an agency in it."""
    request.state.audit_body = body.model_dump(mode="json", exclude_none=True)
    task = joint_tasks.add_task(graph.driver, graph.database, caller, joint_id, body.title, body.owner, body.due,
                                body.note)
    returned(request, [joint_id, task["id"]])
    return dict(masked_answer(request, caller, task))


@router.get("/joint-tasks")
def list_tasks(request: Request, graph: GraphDep, caller: Reader,
               joint: Annotated[str | None, Query(max_length=100)] = None,
               ring: Annotated[str | None, Query(max_length=100)] = None,
               owner: Annotated[str | None, Query(max_length=100)] = None,
               state: Literal["open", "done"] | None = None,
               overdue: bool = False,
               skip: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
               limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict[str, Any]:
    """The tasks of the joint handling records your agency is in, soonest due first (`overdue`: open
    and past their due date; `joint`, `ring`: of that record, or of the records on that ring's line)."""
    found = joint_tasks.list_tasks(graph.driver, graph.database, caller, joint=joint, ring=ring, owner=owner,
                                   state=state, overdue=overdue, skip=skip, limit=limit)
    returned(request, [t["id"] for t in found])
    return {"data": masked_answer(request, caller, found), "count": len(found)}


@router.post("/joint-tasks/{task_id}/state")
def set_task_state(request: Request, graph: GraphDep, caller: Reader, body: TaskState,
                   task_id: Annotated[str, Path(max_length=100)]) -> dict[str, Any]:
    """Mark a task of a record your agency is in done, or open again."""
    request.state.audit_body = body.model_dump(exclude_none=True)
    task = joint_tasks.set_task_state(graph.driver, graph.database, caller, task_id, body.state, body.note)
    returned(request, [task_id])
    return dict(masked_answer(request, caller, task))
