"""Users and their API keys: create (the key is returned once, only its hash is stored), find, list, revoke."""

from __future__ import annotations

from typing import Any

from neo4j import Driver, RoutingControl
from neo4j.exceptions import ConstraintError

from casegraph.access import Caller
from casegraph.access.keys import key_hash, looks_like_key, new_key
from casegraph.access.roles import ROLES
from casegraph.errors import Conflict, InvalidInput, NotFound
from casegraph.graph.queries import cypher

_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@")


def check_name(name: str) -> str:
    if not 1 <= len(name) <= 64 or not set(name) <= _NAME_CHARS:
        raise InvalidInput("a user name has 1 to 64 characters out of letters, digits and - _ . @")
    return name


def agency_exists(driver: Driver, database: str, agency: str) -> bool:
    records, _, _ = driver.execute_query(cypher("agency_exists"), id=agency, database_=database,
                                         routing_=RoutingControl.READ)
    return bool(records)


def add_user(driver: Driver, database: str, name: str, agency: str, role: str,
             created_by: str) -> tuple[dict[str, Any], str]:
    """The new user and its API key, which is never stored and cannot be shown again."""
    check_name(name)
    if role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}")
    if not agency_exists(driver, database, agency):
        raise NotFound(f"agency {agency!r} is not registered; add it with `casegraph agency add`")
    key = new_key()
    try:
        records, _, _ = driver.execute_query(cypher("user_create"), name=name, agency=agency, role=role,
                                             key_hash=key_hash(key), created_by=created_by, database_=database)
    except ConstraintError as exc:
        raise Conflict(f"a user named {name!r} exists already") from exc
    return dict(records[0]["user"]), key


def rotate_key(driver: Driver, database: str, name: str) -> tuple[dict[str, Any], str]:
    """A new API key for an existing user; the old key stops working."""
    key = new_key()
    records, _, _ = driver.execute_query(cypher("user_rotate_key"), name=name, key_hash=key_hash(key),
                                         database_=database)
    if not records:
        raise NotFound(f"no user named {name!r}")
    return dict(records[0]["user"]), key


def caller_for_key(driver: Driver, database: str, key: str) -> Caller | None:
    """The caller an API key stands for; None when the key is unknown or revoked."""
    if not looks_like_key(key):
        return None
    records, _, _ = driver.execute_query(cypher("user_by_key_hash"), key_hash=key_hash(key), database_=database,
                                         routing_=RoutingControl.READ)
    if not records:
        return None
    r = records[0]
    return Caller(user=r["name"], agency=r["agency"], role=r["role"])


def list_users(driver: Driver, database: str, agency: str | None) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(cypher("user_list"), agency=agency, database_=database,
                                         routing_=RoutingControl.READ)
    return [dict(r["user"]) for r in records]


def active_user(driver: Driver, database: str, name: str) -> Caller:
    """The caller a registered, unrevoked user stands for (the CLI's `--as USER`, `--by USER`)."""
    for user in list_users(driver, database, None):
        if user["name"] == name and not user.get("revoked_at"):
            return Caller(user=name, agency=user["agency"], role=user["role"])
    raise NotFound(f"no active user named {name!r}; see `casegraph users list`")


def revoke_user(driver: Driver, database: str, name: str, agency: str | None) -> dict[str, Any]:
    """Revoke a user's key (`agency` limits it to that agency's users; None for the local admin)."""
    records, _, _ = driver.execute_query(cypher("user_revoke"), name=name, agency=agency, database_=database)
    if not records:
        raise NotFound(f"no user named {name!r}" + (f" in agency {agency}" if agency else ""))
    return dict(records[0]["user"])
