"""The facts that flow from extraction through resolution into the graph.

Plain dataclasses: extraction produces millions of these, so they stay cheap; the API has its
own pydantic models. Entity and relation type names are fixed by DESIGN.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final, Literal

EntityType = Literal[
    "PERSON", "ORG", "ID_NUMBER", "USCC", "BANK_ACCOUNT", "PHONE",
    "MONEY", "DATE", "CASE_NUMBER", "CHARGE", "ADDRESS",
]
ENTITY_TYPES: Final[tuple[str, ...]] = (
    "PERSON", "ORG", "ID_NUMBER", "USCC", "BANK_ACCOUNT", "PHONE",
    "MONEY", "DATE", "CASE_NUMBER", "CHARGE", "ADDRESS",
)
IDENTIFIER_TYPES: Final[frozenset[str]] = frozenset({"ID_NUMBER", "USCC", "BANK_ACCOUNT", "PHONE"})

RelationType = Literal[
    "LEGAL_REP", "SHAREHOLDER", "CONTROLS", "EMPLOYED_BY", "OWNS_ACCOUNT",
    "TRANSFERRED_TO", "CO_DEFENDANT", "ROLE_IN",
]
RELATION_TYPES: Final[tuple[str, ...]] = (
    "LEGAL_REP", "SHAREHOLDER", "CONTROLS", "EMPLOYED_BY", "OWNS_ACCOUNT",
    "TRANSFERRED_TO", "CO_DEFENDANT", "ROLE_IN",
)
# ROLE_IN roles of the accused of a case; the victim of a case is never one of them (resolution keeps
# a 被害人 and a 被告人 of one name in one matter apart).
ACCUSED_ROLES: Final[frozenset[str]] = frozenset({"defendant", "suspect", "penalized_party"})
# Roles of those who act in a case for an institution or for a party: they have a ROLE_IN, but are no
# party of the case (a bundle lists them apart from its parties).
OFFICIAL_ROLES: Final[frozenset[str]] = frozenset({"judge", "juror", "prosecutor", "clerk", "lawyer"})

AgencyKind = Literal["police", "procuratorate", "regulator", "court"]
Sharing = Literal["shared", "restricted", "sealed"]


@dataclass(slots=True)
class Mention:
    """One entity mention: `text` is exactly `source_text[start:end]` of the document's text.

    `normalized` is the canonical value: digits (and X) for identifiers, yuan as a decimal
    string for MONEY, ISO date (yyyy, yyyy-mm or yyyy-mm-dd) for DATE, the simplified,
    half-width form for names. `valid` is False for an identifier whose checksum, date or
    region code fails: such a mention is recorded but never becomes a merge key.
    `attrs` carries person attributes found with the mention (gender, birth_date, ric,
    address) and anything else a later stage needs.
    """

    type: str
    text: str
    start: int
    end: int
    normalized: str | None = None
    valid: bool = True
    page: int | None = None
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Relation:
    """A relation between two mentions, by their index in `ExtractedDocument.entities`.

    ROLE_IN points from a PERSON/ORG mention to the document's CASE_NUMBER mention (or -1
    when the document's own case number is meant) and carries `role`. TRANSFERRED_TO points
    from one BANK_ACCOUNT mention to another and carries amount and time in `attrs`.
    """

    type: str
    source: int
    target: int
    role: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Transaction:
    """One row of a bank ledger, already normalised (amount in yuan, ISO timestamp)."""

    from_account: str
    to_account: str
    amount: float
    at: str
    row: int
    tx_id: str | None = None
    counterparty_name: str | None = None
    memo: str | None = None
    # The statement's own account, its holder and his 证件号码, when the bank gives them.
    own_account: str | None = None
    holder_name: str | None = None
    holder_id: str | None = None


@dataclass(slots=True)
class ExtractedDocument:
    """Everything extraction learned from one file; nothing in it touches a database."""

    path: str
    sha256: str
    text: str
    kind: str = "unknown"
    case_number: str | None = None
    page_starts: list[int] = field(default_factory=list)
    entities: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
