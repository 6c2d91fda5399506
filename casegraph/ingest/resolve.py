"""From one document's extracted mentions to graph facts keyed by DESIGN.md's canonical keys.

Strong identifiers (resident ID, USCC, account, phone) become keys; a person without an ID
is keyed by name and birth date when both are known, else stays a mention of its document. An
invalid identifier is kept as a (:Mention) of its document and never becomes a key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from casegraph import identifiers
from casegraph.model import ExtractedDocument, Mention

_REL_TYPES = {
    "LEGAL_REP": "LEGAL_REP_OF", "SHAREHOLDER": "SHAREHOLDER_OF", "CONTROLS": "CONTROLS",
    "EMPLOYED_BY": "EMPLOYED_BY", "OWNS_ACCOUNT": "HOLDS", "TRANSFERRED_TO": "TRANSFERRED",
    "ROLE_IN": "ROLE_IN", "CO_DEFENDANT": "CO_DEFENDANT",
}


@dataclass(slots=True)
class NodeRow:
    label: str
    key: str
    props: dict[str, Any] = field(default_factory=dict)
    regions: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RelRow:
    type: str
    from_label: str
    from_key: str
    to_label: str
    to_key: str
    fid: str = ""  # tells apart parallel facts of one type between the same two nodes
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class DocumentFacts:
    document: dict[str, Any]
    nodes: list[NodeRow] = field(default_factory=list)
    rels: list[RelRow] = field(default_factory=list)

    @property
    def key(self) -> str:
        return str(self.document["key"])


@dataclass(frozen=True, slots=True)
class AgencyRef:
    id: str
    region: str


def document_key(sha256: str) -> str:
    return f"doc:{sha256}"


def case_key(agency: str, number: str) -> str:
    return f"case:{agency}:{identifiers.normalize_case_number(number)}"


def _entity_node(m: Mention, doc_key: str, index: int) -> NodeRow | None:
    value = m.normalized or m.text
    if m.type in identifiers_types and not m.valid:
        return NodeRow("Mention", f"mention:{doc_key[4:]}:{m.start}",
                       {"type": m.type, "text": m.text, "document": doc_key, "reason": m.attrs.get("reason")})
    if m.type == "ID_NUMBER":
        return NodeRow("Person", f"ric:{value}", {"ric": value, "birth_date": identifiers.ric_birth_date(value),
                                                  "gender": identifiers.ric_gender(value)},
                       regions=_opt(identifiers.ric_region(value)))
    if m.type == "USCC":
        return NodeRow("Organization", f"uscc:{value}", {"uscc": value}, regions=_opt(identifiers.uscc_region(value)))
    if m.type == "PHONE":
        return NodeRow("Phone", f"phone:{value}", {"number": value})
    if m.type == "BANK_ACCOUNT":
        return NodeRow("Account", f"acct:{value}", {"number": value, "is_card": 16 <= len(value) <= 19,
                                                    "luhn_ok": identifiers.luhn_ok(value)})
    if m.type == "PERSON":
        return _person_node(m, doc_key)
    if m.type == "ORG":
        uscc = m.attrs.get("uscc")
        if uscc and identifiers.parse_uscc(uscc).valid:
            return NodeRow("Organization", f"uscc:{uscc}", {"name": value, "uscc": uscc},
                           regions=_opt(identifiers.uscc_region(uscc)), aliases=[m.text])
        return NodeRow("Organization", f"name:{value}", {"name": value}, aliases=[m.text])
    if m.type == "ADDRESS":
        return NodeRow("Address", f"addr:{value}", {"text": value})
    return None  # MONEY, DATE, CHARGE and case numbers are properties, not nodes


identifiers_types = frozenset({"ID_NUMBER", "USCC", "PHONE", "BANK_ACCOUNT"})


def _person_node(m: Mention, doc_key: str) -> NodeRow:
    name = m.normalized or m.text
    ric = m.attrs.get("ric")
    birth = m.attrs.get("birth_date")
    props: dict[str, Any] = {"name": name, "gender": m.attrs.get("gender"), "birth_date": birth}
    if ric and identifiers.parse_ric(ric).valid:
        props.update(ric=ric, birth_date=identifiers.ric_birth_date(ric))
        return NodeRow("Person", f"ric:{ric}", props, regions=_opt(identifiers.ric_region(ric)), aliases=[m.text])
    if birth and len(birth) == 10:
        return NodeRow("Person", f"name:{name}|dob:{birth}", props, aliases=[m.text])
    return NodeRow("Person", f"mention:{doc_key[4:]}:{m.start}", props, aliases=[m.text])


def _opt(value: str | None) -> list[str]:
    return [value] if value else []


def resolve_document(doc: ExtractedDocument, agency: AgencyRef, sharing: str = "shared",
                     shared_with: list[str] | None = None) -> DocumentFacts:
    doc_key = document_key(doc.sha256)
    facts = DocumentFacts(document={
        "key": doc_key, "sha256": doc.sha256, "agency": agency.id, "path": doc.path,
        "filename": Path(doc.path).name, "kind": doc.kind, "sharing": sharing,
        "shared_with": shared_with or [], "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "case_number": identifiers.normalize_case_number(doc.case_number) if doc.case_number else None,
    })
    nodes: list[NodeRow | None] = [_entity_node(m, doc_key, i) for i, m in enumerate(doc.entities)]
    case: NodeRow | None = None
    if doc.case_number:
        number = identifiers.normalize_case_number(doc.case_number)
        case = NodeRow("Case", case_key(agency.id, number), {"number": number, "agency": agency.id,
                                                              "kind": doc.kind}, regions=[agency.region])
        facts.nodes.append(case)
        facts.rels.append(RelRow("OF_CASE", "Document", doc_key, "Case", case.key))
        facts.rels.append(RelRow("HANDLED_BY", "Case", case.key, "Agency", agency.id))
    for m, node in zip(doc.entities, nodes, strict=True):
        if node is None:
            continue
        facts.nodes.append(node)
        facts.rels.append(RelRow("MENTIONED_IN", node.label, node.key, "Document", doc_key, fid=f"{m.start}",
                                 props={"start": m.start, "end": m.end, "page": m.page, "text": m.text}))
    for rel in doc.relations:
        rel_type = _REL_TYPES.get(rel.type)
        source = nodes[rel.source] if 0 <= rel.source < len(nodes) else None
        target = case if rel.target == -1 else (nodes[rel.target] if 0 <= rel.target < len(nodes) else None)
        if rel_type is None or source is None or target is None or "Mention" in (source.label, target.label):
            continue
        fid = rel.role or str(rel.attrs.get("tx_id") or "")
        props = {k: v for k, v in rel.attrs.items() if isinstance(v, str | int | float | bool)}
        if rel.role:
            props["role"] = rel.role
        facts.rels.append(RelRow(rel_type, source.label, source.key, target.label, target.key, fid, props))
    return facts
