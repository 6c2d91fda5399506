"""Request and response models of the public API (published in the OpenAPI schema at /docs)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Health(BaseModel):
    status: str = Field(description="ok when Neo4j answers, unavailable otherwise")
    neo4j: str = Field(description="the server's version, or why it does not answer")
    version: str


class CaseRef(BaseModel):
    key: str
    number: str
    agency: str
    kind: str | None = None


class DocumentRef(BaseModel):
    key: str
    agency: str
    filename: str | None = None
    kind: str | None = None


class Holder(BaseModel):
    agency: str
    cases: int = Field(description="how many of the agency's cases hold a match")


class HitNoHit(BaseModel):
    """Something matches, but only in documents the caller may not see: who holds it, nothing else."""

    model_config = ConfigDict(extra="forbid")
    hit: Literal[True] = True
    visible: Literal[False] = False
    holders: list[Holder]
    access_request: str = Field(description="where to ask the holders for access (POST)")


class PartyRef(BaseModel):
    """A person or organisation linked to the entity by a visible document, by the name that document writes."""

    key: str
    label: str
    name: str | None = None
    sources: list[str] = Field(description="the visible documents that state the link")


class EntityView(BaseModel):
    hit: Literal[True] = True
    visible: Literal[True] = True
    key: str
    label: str
    properties: dict[str, Any]
    cases: list[CaseRef]
    agencies: list[str]
    documents: list[DocumentRef]
    held_by: list[PartyRef] = Field(default_factory=list,
                                    description="an account's holders (its bank is in `properties.bank`)")
    used_by: list[PartyRef] = Field(default_factory=list, description="a phone's registered or named users")


class Neighbor(BaseModel):
    key: str
    label: str
    distance: int
    name: str | None = None


class Edge(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    type: str
    from_: str = Field(alias="from")
    to: str
    role: str | None = None
    sources: list[str] | None = None
    facts: int | None = Field(None, description="how many facts of this type link the two (e.g. transfers)")
    latest: str | None = Field(None, description="the time of the latest of those facts, if they carry one")


class MoreLinks(BaseModel):
    type: str
    remaining: int = Field(description="visible links of this type the answer left out")
    next: str = Field(description="cursor: pass as `cursor` to fetch the next page of this type")


class Neighborhood(BaseModel):
    hit: Literal[True] = True
    visible: Literal[True] = True
    key: str
    label: str | None = None
    depth: int
    neighbors: list[Neighbor]
    edges: list[Edge]
    counts: dict[str, int] = Field(default_factory=dict,
                                   description="every visible link around the entity, by type (filters applied)")
    more: list[MoreLinks] = Field(default_factory=list, description="per relation type, what a next page holds")


class SearchResult(BaseModel):
    key: str
    label: str
    name: str


class SearchResults(BaseModel):
    results: list[SearchResult]
    hidden: HitNoHit | None = Field(None, description="matches only in documents the caller may not see")


SharingLevel = Literal["shared", "restricted", "sealed"]
AgencyId = Field(min_length=2, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")


class SharingChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    level: SharingLevel
    shared_with: list[str] = Field(default_factory=list, max_length=20,
                                   description="agencies a restricted document is shared with")


class DocumentSharing(BaseModel):
    key: str
    agency: str
    sharing: SharingLevel
    shared_with: list[str]


class AccessRequestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    identifier: str | None = Field(None, min_length=1, max_length=64,
                                   description="the identifier looked up (as in /v1/lookup)")
    key: str | None = Field(None, min_length=3, max_length=300, description="or the entity key looked up")
    holder: str = AgencyId
    purpose: str = Field(min_length=3, max_length=200, description="the case reference the access serves")


class AccessDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")
    days: int = Field(30, ge=1, le=365, description="how long an approval's grant lasts")
    note: str | None = Field(None, max_length=500)


class AccessRequest(BaseModel):
    id: str
    requester: str
    requester_agency: str
    holder_agency: str
    query: str
    purpose: str
    status: Literal["pending", "approved", "denied"]
    entity_key: str | None = Field(None, description="shown to the holder agency only")
    decided_by: str | None = None
    note: str | None = None
    created_at: str
    decided_at: str | None = None
    expires_at: str | None = None
    documents: int | None = Field(None, description="documents an approval grants access to")


class AccessRequests(BaseModel):
    data: list[AccessRequest]
    count: int


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._@-]+$")
    role: Literal["investigator", "prosecutor", "analyst", "admin"]


class UserPublic(BaseModel):
    name: str
    agency: str
    role: str
    created_by: str | None = None
    created_at: str | None = None
    revoked_at: str | None = None


class UserCreated(UserPublic):
    api_key: str = Field(description="shown once; only its hash is stored")


class UsersPublic(BaseModel):
    data: list[UserPublic]
    count: int


class AuditEvent(BaseModel):
    seq: int
    at: str
    user: str
    agency: str
    role: str
    action: str
    method: str
    path: str
    params: dict[str, Any]
    purpose: str | None = None
    returned: list[str]
    status: int
    prev_hash: str
    hash: str


class AuditEvents(BaseModel):
    data: list[AuditEvent]
    count: int


class ErrorDetail(BaseModel):
    """What went wrong, for people and programs: never a traceback, file path or class name."""

    code: str = Field(description="stable, for programs: not_found, forbidden, rate_limited, overloaded, …")
    message: str
    hint: str | None = Field(None, description="what to do about it")
    ref: str | None = Field(None, description="finds the details in the server's log (`err-…`)")
    retry_after_s: int | None = Field(None, description="with 429 and 503: seconds to wait, as in Retry-After")
    details: list[dict[str, Any]] | None = Field(None, description="with 422: which input, and why")


class ErrorBody(BaseModel):
    """The one error body of every endpoint."""

    error: ErrorDetail


class JobError(BaseModel):
    """Why a job failed: a code, a message, a hint, and the reference of its traceback in the server's log."""

    code: str
    message: str
    hint: str = ""
    ref: str | None = None


class Mention(BaseModel):
    key: str
    label: str
    start: int
    end: int
    page: int | None = None
    text: str | None = None


class LedgerTransfer(BaseModel):
    from_: str = Field(alias="from")
    to: str
    amount: float | None = None
    at: str | None = None
    tx_id: str | None = None


class DocumentView(BaseModel):
    key: str
    agency: str
    filename: str | None = None
    kind: str | None = None
    sharing: str | None = None
    text: str | None = Field(None, description="the text as extracted (none for ledgers)")
    pages: list[int] = Field(default_factory=list, description="offset at which each page starts (PDFs)")
    case: CaseRef | None = None
    mentions: list[Mention]
    transfers: list[LedgerTransfer] = Field(default_factory=list, description="a ledger's rows, by time")


class PathView(BaseModel):
    nodes: list[Neighbor]
    edges: list[Edge]


class PathsView(BaseModel):
    hit: Literal[True] = True
    visible: Literal[True] = True
    from_: str = Field(alias="from")
    to: str
    paths: list[PathView]


class NameResult(BaseModel):
    key: str
    label: str
    name: str
    score: float = Field(description="0-100: how closely a visible name matches")
    regions: list[str]
    birth_date: str | None = None
    agencies: list[str]
    cases: int


class NameResults(BaseModel):
    results: list[NameResult]
    hidden: HitNoHit | None = None
