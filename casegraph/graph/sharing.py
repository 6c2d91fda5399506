"""Changing who may see a document, and access requests with their time-limited grants."""

from __future__ import annotations

import uuid
from typing import Any

from neo4j import Driver, RoutingControl

from casegraph.errors import Conflict, Forbidden, InvalidInput, NotFound
from casegraph.graph.queries import cypher
from casegraph.graph.users import agency_exists

SHARING_LEVELS = ("shared", "restricted", "sealed")
MAX_GRANT_DAYS = 365


def set_sharing(driver: Driver, database: str, key: str, level: str, shared_with: list[str],
                owner: str | None) -> dict[str, Any]:
    """Set a document's sharing; `owner` is the caller's agency (None for the local admin)."""
    if level not in SHARING_LEVELS:
        raise InvalidInput(f"sharing level must be one of {', '.join(SHARING_LEVELS)}")
    if level != "restricted" and shared_with:
        raise InvalidInput("only a restricted document names the agencies it is shared with")
    for agency in shared_with:
        if not agency_exists(driver, database, agency):
            raise InvalidInput(f"agency {agency!r} is not registered")
    records, _, _ = driver.execute_query(cypher("document_set_sharing"), key=key, level=level,
                                         shared_with=sorted(set(shared_with)), owner=owner, database_=database)
    if records:
        return dict(records[0]["document"])
    # Tell apart "no such document" and "not yours" only for documents the caller could see anyway.
    found, _, _ = driver.execute_query(cypher("document_get"), key=key, database_=database,
                                       routing_=RoutingControl.READ)
    if found and found[0]["document"]["sharing"] == "shared":
        raise Forbidden("only the agency that owns a document changes its sharing")
    raise NotFound(f"no document {key!r} of agency {owner}")


def create_request(driver: Driver, database: str, *, requester: str, requester_agency: str, holder_agency: str,
                   query: str, entity_key: str, entity_label: str, purpose: str) -> dict[str, Any]:
    if holder_agency == requester_agency:
        raise InvalidInput("an agency sees its own documents; there is nothing to request")
    if not agency_exists(driver, database, holder_agency):
        raise InvalidInput(f"agency {holder_agency!r} is not registered")
    records, _, _ = driver.execute_query(
        cypher("access_request_create"), id=f"req-{uuid.uuid4().hex[:16]}", requester=requester,
        requester_agency=requester_agency, holder_agency=holder_agency, query=query, entity_key=entity_key,
        entity_label=entity_label, purpose=purpose, database_=database)
    return dict(records[0]["request"])


def list_requests(driver: Driver, database: str, agency: str | None, status: str | None = None,
                  limit: int = 200) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(cypher("access_request_list"), agency=agency, status=status, limit=limit,
                                         database_=database, routing_=RoutingControl.READ)
    return [dict(r["request"]) for r in records]


def _get(driver: Driver, database: str, request_id: str, agency: str | None) -> tuple[dict[str, Any], str]:
    records, _, _ = driver.execute_query(cypher("access_request_get"), id=request_id, agency=agency,
                                         database_=database, routing_=RoutingControl.READ)
    if not records:
        raise NotFound(f"no access request {request_id!r}")
    return dict(records[0]["request"]), records[0]["label"]


def decide(driver: Driver, database: str, request_id: str, *, approve: bool, agency: str | None, decided_by: str,
           days: int = 30, note: str | None = None) -> dict[str, Any]:
    """Approve (with a grant for `days`) or deny a pending request addressed to `agency`."""
    if not 1 <= days <= MAX_GRANT_DAYS:
        raise InvalidInput(f"a grant lasts 1 to {MAX_GRANT_DAYS} days")
    request, label = _get(driver, database, request_id, agency)
    if agency is not None and request["holder_agency"] != agency:
        raise Forbidden("only the agency that holds the documents decides on a request for them")
    if request["status"] != "pending":
        raise Conflict(f"the request is {request['status']} already")
    if approve:
        records, _, _ = driver.execute_query(cypher("access_request_approve", label=label), id=request_id,
                                             agency=agency, decided_by=decided_by, days=days, note=note,
                                             grant_id=f"grant-{uuid.uuid4().hex[:16]}", database_=database)
    else:
        records, _, _ = driver.execute_query(cypher("access_request_deny"), id=request_id, agency=agency,
                                             decided_by=decided_by, note=note, database_=database)
    if not records:
        raise Conflict("the request was decided meanwhile")
    result = dict(records[0]["request"])
    if approve:
        result["documents"] = records[0]["documents"]
    return result
