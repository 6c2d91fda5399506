"""The case-assist bundle as data: what bundle.json holds and what the API publishes as its schema.

Every fact in a bundle names the evidence that carries it (`evidence`: ids into `Bundle.evidence`),
and every evidence item names one source document the caller may see, with the quoted sentence.
"""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")

ACCESS_REQUEST_LINK = "/v1/access-requests"
SCHEMA_VERSION = "2"  # 2: typologies from casegraph.detect, possible matches (`via`), ring member names


class Requester(BaseModel):
    """Who asks for the bundle, on behalf of which agency, and why (the stated purpose)."""

    agency: str = Field(min_length=1, description="the caller's agency id; decides what is visible")
    user: str = Field("anonymous", description="the caller's user id")
    purpose: str = Field("", description="why the bundle is drawn, e.g. a case reference")


class Page(BaseModel, Generic[T]):
    """A list cut to `limit` items from `offset`; `total` counts all items there are."""

    total: int
    offset: int = 0
    limit: int
    items: list[T]


class DocumentInfo(BaseModel):
    key: str
    sha256: str
    agency: str
    filename: str | None = None
    kind: str | None = None
    case_number: str | None = None
    ingested_at: str | None = None


class CaseInfo(BaseModel):
    key: str
    number: str
    agency: str
    agency_name: str | None = None
    region: str | None = None
    kind: str | None = None
    documents: list[DocumentInfo]
    cites: list[str] = Field(default_factory=list, description="keys of visible cases this case cites or is cited by")


class Identifier(BaseModel):
    kind: Literal["ric", "uscc", "account", "phone"]
    value: str
    key: str
    bank: str | None = None
    evidence: list[str] = Field(default_factory=list)


class Party(BaseModel):
    key: str
    label: Literal["Person", "Organization"]
    name: str | None = None
    roles: list[str] = Field(description="roles in the case (ROLE_IN); 'mentioned' when only named in its files")
    regions: list[str] = Field(default_factory=list)
    identifiers: list[Identifier] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)


class OtherCase(BaseModel):
    """Another case a party appears in, which the caller may see."""

    party: str
    key: str
    number: str | None = None
    agency: str
    region: str | None = None
    kinds: list[str] = Field(default_factory=list, description="kinds of the documents naming the party")
    via: str | None = Field(None, description="when the case names not the party itself but a possibly-same "
                                              "person or company (an open POSSIBLY_SAME_AS candidate): its key")
    match_score: float | None = Field(None, description="the candidate's resolution score, with `via`")
    evidence: list[str] = Field(default_factory=list)


class Hit(BaseModel):
    """Another agency holds something on a party that the caller may not see: only that, and where to ask."""

    party: str
    agency: str
    region: str | None = None
    count: int = Field(description="number of cases (or case-less documents) held")
    access_request: str = ACCESS_REQUEST_LINK


class PriorRecord(BaseModel):
    """A regulator's penalty decision or risk alert naming a party."""

    party: str
    kind: Literal["penalty_decision", "risk_alert"]
    document: str
    agency: str
    case_number: str | None = None
    date: str | None = None
    via: str | None = Field(None, description="the possibly-same node the record names, as in OtherCase")
    evidence: list[str] = Field(default_factory=list)


class AccountTotals(BaseModel):
    account: str
    holder: str | None = None
    total_in: float
    total_out: float
    count_in: int
    count_out: int


class Counterparty(BaseModel):
    account: str
    holder: str | None = None
    total: float
    transfers: int
    direction: Literal["in", "out", "both"]
    evidence: list[str] = Field(default_factory=list)


class FlowPath(BaseModel):
    accounts: list[str]
    amounts: list[float]
    evidence: list[str] = Field(default_factory=list)


class Typology(BaseModel):
    kind: Literal["cycle", "fan_in", "fan_out", "scatter_gather", "gather_scatter", "pass_through"]
    accounts: list[str]
    total: float
    explanation: str
    evidence: list[str] = Field(default_factory=list)


class Transfer(BaseModel):
    source: str
    target: str
    amount: float
    at: str | None = None
    tx_id: str | None = None
    evidence: list[str] = Field(default_factory=list)


class Money(BaseModel):
    accounts: list[AccountTotals]
    counterparties: list[Counterparty]
    paths: list[FlowPath]
    typologies: list[Typology]
    transfers: Page[Transfer]
    method: str = Field(description="how typologies were found")


class RingMember(BaseModel):
    key: str
    name: str | None = None
    why: str | None = None
    evidence: list[str] = Field(default_factory=list)


class RingInfo(BaseModel):
    id: str
    typologies: list[str] = Field(default_factory=list)
    score: float | None = None
    regions: list[str] = Field(default_factory=list)
    members: list[RingMember]
    review: str | None = Field(default=None, description="an analyst's review: confirmed or dismissed")
    review_note: str | None = None
    reviewed_by: str | None = None


class TimelineSource(BaseModel):
    document: str
    agency: str
    case_number: str | None = None


class TimelineEvent(BaseModel):
    date: str
    text: str
    document: str
    agency: str
    case_number: str | None = None
    evidence: list[str] = Field(default_factory=list)
    also: list[TimelineSource] = Field(default_factory=list, description="other documents reporting the same event "
                                                                         "(same date, nearly the same sentence)")

    def reported_by(self) -> list[str]:
        """Case number (else agency) of each document reporting the event, the first one first, once each."""
        seen = [self.case_number or self.agency, *(s.case_number or s.agency for s in self.also)]
        return list(dict.fromkeys(seen))


class Evidence(BaseModel):
    id: str
    fact: str = Field(description="the fact in machine form, e.g. 'ric:… ROLE_IN case:…'")
    statement: str | None = Field(default=None, description="the fact as a sentence, e.g. '罗雪婷系川检二部刑诉"
                                                             "(2024)173号案的被告人'")
    document: str
    agency: str
    filename: str | None = None
    page: int | None = None
    quote: str


class GraphState(BaseModel):
    """Which graph the bundle was drawn from, as far as the caller may see it."""

    visible_documents: int
    last_ingested_at: str | None = None
    sources_sha256: str = Field(description="SHA-256 of the sorted keys of the bundle's source documents")


class Bundle(BaseModel):
    schema_version: str = SCHEMA_VERSION
    created_at: str
    requester: Requester
    case: CaseInfo
    parties: Page[Party]
    other_cases: Page[OtherCase]
    hits: list[Hit]
    prior_records: list[PriorRecord]
    money: Money
    rings: list[RingInfo]
    timeline: Page[TimelineEvent]
    evidence: list[Evidence]
    sources: list[DocumentInfo] = Field(description="every document the bundle quotes, with its SHA-256")
    graph_state: GraphState
    links: dict[str, str] | None = Field(
        default=None, description="the API's answer for a small case: where to fetch this bundle rendered (`html`, "
                                  "`pdf`, `zip`; GET, same key and purpose; a masked role is refused the PDF and zip)")


class ManifestFile(BaseModel):
    name: str
    sha256: str
    bytes: int


class Manifest(BaseModel):
    case: str
    created_at: str
    requester: Requester
    files: list[ManifestFile]
    source_documents: list[DocumentInfo]
    graph_state: GraphState
