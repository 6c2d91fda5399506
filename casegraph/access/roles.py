"""Roles and what each may do. One table, so a reviewer sees every permission at a glance."""

from __future__ import annotations

from typing import Literal, get_args

from casegraph.errors import Forbidden

Role = Literal["investigator", "prosecutor", "analyst", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)

Action = Literal[
    "lookup",            # identifier lookup, entity by key, neighbourhood, name search
    "bundle",            # case-assist bundles (identifiers in full, so not for masked roles)
    "request_access",    # ask another agency for access to what a hit/no-hit answer reported
    "decide_access",     # approve or deny a request addressed to one's own agency
    "list_access",       # see the requests one's agency made or received
    "set_sharing",       # change the sharing level of one's own agency's documents
    "manage_users",      # add, list and revoke users of one's own agency
    "read_audit",        # read the audit log of one's own agency
    "resolve",           # confirm, reject or split identity candidates
    "delete_document",   # remove one of one's own agency's documents and the facts only it stated
    "detect_rings",      # run ring-detection jobs and review the rings found
]

# Admins administer (users, sharing, audit, access decisions) but do not browse case data:
# a separation of duties that keeps the people who read the audit log out of it.
_PERMISSIONS: dict[Role, frozenset[str]] = {
    "investigator": frozenset({"lookup", "bundle", "request_access", "decide_access", "list_access", "set_sharing",
                               "resolve"}),
    "prosecutor": frozenset({"lookup", "bundle", "request_access", "decide_access", "list_access", "set_sharing",
                             "resolve"}),
    "analyst": frozenset({"lookup", "request_access", "list_access", "detect_rings"}),
    "admin": frozenset({"decide_access", "list_access", "set_sharing", "manage_users", "read_audit",
                        "delete_document", "detect_rings"}),
}


def is_role(value: str) -> bool:
    return value in ROLES


def allowed(role: str, action: Action) -> bool:
    return action in _PERMISSIONS.get(role, frozenset())  # type: ignore[call-overload]


def require(role: str, action: Action) -> None:
    """Raise Forbidden unless `role` may perform `action`."""
    if not allowed(role, action):
        raise Forbidden(f"the role {role!r} may not {action.replace('_', ' ')}")
