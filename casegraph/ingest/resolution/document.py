"""One ExtractedDocument to the facts the writer merges: nodes by canonical key, relationships with
the document as their source, ledger rows as transfers.

Node keys (DESIGN.md): a person by resident ID, else name and birth date, else `mention:<sha>:<n>`
(a person known only by name is this document's until the cross-document linker or an
investigator says otherwise); an organisation by USCC, else its name; accounts, phones and
addresses by their normalised value; a case by its issuing agency and number. Every
MENTIONED_IN carries `resolved_by`, the reason its mention is on that node.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from casegraph import identifiers
from casegraph.graph.facts import AgencyRef, DocumentFacts, NodeRow, RelRow, TransferRow
from casegraph.graph.transfer_identity import SameDayCounter, transfer_fid
from casegraph.ingest.readers.account_opening import links_for
from casegraph.ingest.resolution.banks import bank_before
from casegraph.ingest.resolution.cases import CaseIssuer, case_key, issuer_of
from casegraph.ingest.resolution.coref import PersonCluster, cluster_persons
from casegraph.ingest.resolution.ledger_accounts import LedgerAccounts, account_node
from casegraph.ingest.resolution.names import is_anonymised
from casegraph.ingest.resolution.officials import official_title
from casegraph.ingest.resolution.regions import address_region
from casegraph.model import ExtractedDocument, Mention, Transaction

REL_TYPES = {
    "LEGAL_REP": "LEGAL_REP_OF", "SHAREHOLDER": "SHAREHOLDER_OF", "CONTROLS": "CONTROLS",
    "EMPLOYED_BY": "EMPLOYED_BY", "OWNS_ACCOUNT": "HOLDS", "TRANSFERRED_TO": "TRANSFERRED",
    "ROLE_IN": "ROLE_IN", "CO_DEFENDANT": "CO_DEFENDANT",
}
IDENTIFIER_TYPES = frozenset({"ID_NUMBER", "USCC", "PHONE", "BANK_ACCOUNT"})
_SENTENCE_END = re.compile(r"[。；;\n]")
_USER_WINDOW = 60  # a phone is a person's when it follows them in the same sentence, this close
# Where accounts are held: named beside a customer's account and phone (`罗雪婷使用其名下中国农业银行账户…，
# 其联系电话…`), never the phone's user.
_ACCOUNT_INSTITUTION = re.compile(r"(银行|信用社|信用合作联社|支行|分行|储蓄所|营业部)$")
# A transfer told in prose with its day (`2022年7月25日…转账86000元`, normalised to ISO) can be named
# by the identity a bank statement gives it; a month or a year alone cannot.
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def document_key(sha256: str) -> str:
    return f"doc:{sha256}"


def path_id(agency: str, path: str) -> str:
    """Identity of a document's place, the same for every version of the file."""
    return hashlib.sha256(f"{agency}\n{path}".encode()).hexdigest()[:16]


def _opt(value: str | None) -> list[str]:
    return [value] if value else []


class _DocumentResolver:
    def __init__(self, doc: ExtractedDocument, agency: AgencyRef, offset: int = 0) -> None:
        self.doc = doc
        # where doc.text starts in the file: a piece of a streamed text (ingest.text_ingest) has its own
        # offsets, and what the graph keeps (mention offsets and keys) must be the file's
        self.offset = offset
        self.agency = agency
        self.doc_key = document_key(doc.sha256)
        self.path_id = path_id(agency.id, doc.path)
        self.nodes: dict[str, NodeRow] = {}
        self.rels: dict[tuple[str, str, str, str], RelRow] = {}
        self.targets: list[NodeRow | None] = [None] * len(doc.entities)
        self.why: dict[int, str] = {}
        self.case: NodeRow | None = None
        self.case_region: str | None = None
        self.by_org_name: dict[str, NodeRow] = {}
        self.transfers: list[TransferRow] = []  # transfers between two accounts told in prose
        self._same_day = SameDayCounter(days_kept=None)

    # --- nodes -------------------------------------------------------------------------------
    def node(self, label: str, key: str, props: dict[str, Any] | None = None, regions: Iterable[str] = (),
             aliases: Iterable[str] = ()) -> NodeRow:
        row = self.nodes.get(key)
        if row is None:
            row = self.nodes[key] = NodeRow(label, key)
        for name, value in (props or {}).items():
            if value is not None and row.props.get(name) is None:
                row.props[name] = value
        for region in regions:
            if region and region not in row.regions:
                row.regions.append(region)
        for alias in aliases:
            if alias and alias not in row.aliases:
                row.aliases.append(alias)
        return row

    def rel(self, rel_type: str, source: NodeRow, target: NodeRow, fid: str = "",
            props: dict[str, Any] | None = None) -> None:
        key = (rel_type, source.key, target.key, fid)
        if key not in self.rels:
            clean = {k: v for k, v in (props or {}).items() if isinstance(v, str | int | float | bool)}
            self.rels[key] = RelRow(rel_type, source.label, source.key, target.label, target.key, fid, clean)

    # --- cases -------------------------------------------------------------------------------
    def issuer(self, number: str) -> CaseIssuer:
        return issuer_of(number) or CaseIssuer(self.agency.id, self.agency.kind, self.agency.region)

    def case_node(self, number: str, own: bool) -> NodeRow:
        issuer = self.issuer(number)
        props: dict[str, Any] = {"number": number, "agency": issuer.agency, "agency_kind": issuer.kind}
        if own:
            props["kind"] = self.doc.kind
        row = self.node("Case", case_key(issuer.agency, number), props, regions=[issuer.region])
        self.rel("HANDLED_BY", row, NodeRow("Agency", issuer.agency))
        return row

    def own_case(self) -> None:
        if not self.doc.case_number:
            return
        number = identifiers.normalize_case_number(self.doc.case_number)
        self.case = self.case_node(number, own=True)
        self.case_region = self.case.regions[0] if self.case.regions else None
        self.rel("OF_CASE", NodeRow("Document", self.doc_key), self.case)

    # --- entities ----------------------------------------------------------------------------
    def person(self, cluster: PersonCluster) -> NodeRow:
        if cluster.ric:
            key, why = f"ric:{cluster.ric}", "ric"
        elif cluster.birth_date and len(cluster.birth_date) == 10:
            key, why = f"name:{cluster.name}|dob:{cluster.birth_date}", "name+birth_date"
        else:
            # Keyed by the document's place (agency and path) and the name, not by the bytes: a new
            # version of the file lands on the same node, and so do an investigator's decisions about it.
            key, why = f"mention:{self.path_id}:{cluster.name}", "name"
            while key in self.nodes:  # two people of one name in one document
                key += "+"
        birth = cluster.birth_date
        props = {"name": cluster.name, "ric": cluster.ric, "gender": cluster.gender,
                 "birth_date": birth if birth and len(birth) == 10 else None,
                 "birth_year": birth[:4] if birth else None, "anonymised": cluster.anonymised}
        if cluster.ric:
            props["gender"] = identifiers.ric_gender(cluster.ric) or cluster.gender
        regions = [*_opt(identifiers.ric_region(cluster.ric) if cluster.ric else None),
                   *(r for a in cluster.addresses if (r := address_region(a)))]
        row = self.node("Person", key, props, regions, [cluster.name, *cluster.aliases])
        if why not in row.merged_on:
            row.merged_on.append(why)
        for address in cluster.addresses:
            place = self.node("Address", f"addr:{address}", {"text": address}, _opt(address_region(address)))
            self.rel("LOCATED_AT", row, place)
        return row

    def entity(self, m: Mention) -> tuple[NodeRow, str] | None:
        value = m.normalized or m.text
        if m.type in IDENTIFIER_TYPES and not m.valid:
            return self.node("Mention", f"mention:{self.doc.sha256}:{m.start + self.offset}",
                             {"type": m.type, "text": m.text, "document": self.doc_key,
                              "reason": m.attrs.get("reason")}), "invalid_identifier"
        match m.type:
            case "ID_NUMBER":
                return self.node("Person", f"ric:{value}", {"ric": value, "birth_date": identifiers.ric_birth_date(value),
                                                            "gender": identifiers.ric_gender(value)},
                                 _opt(identifiers.ric_region(value))), "ric"
            case "USCC":
                return self.node("Organization", f"uscc:{value}", {"uscc": value},
                                 _opt(identifiers.uscc_region(value))), "uscc"
            case "PHONE":
                return self.node("Phone", f"phone:{value}", {"number": value}), "phone"
            case "BANK_ACCOUNT":
                props = {"number": value, "is_card": 16 <= len(value) <= 19, "luhn_ok": identifiers.luhn_ok(value)}
                bank = bank_before(self.doc.text, m, self.doc.entities)
                if bank:
                    props["bank"] = bank
                return self.node("Account", f"acct:{value}", props), "account"
            case "ORG":
                return self.organization(m)
            case "ADDRESS":
                return self.node("Address", f"addr:{value}", {"text": value}, _opt(address_region(value))), "address"
            case "CASE_NUMBER" if value:
                number = identifiers.normalize_case_number(value)
                if self.case is not None and number == self.case.props["number"]:
                    return self.case, "own_case"
                cited = self.case_node(number, own=False)
                if self.case is not None:
                    self.rel("CITES", self.case, cited)
                return cited, "cited_case"
        return None  # MONEY, DATE and CHARGE are properties, not nodes

    def organization(self, m: Mention) -> tuple[NodeRow, str]:
        name = m.normalized or m.text
        full = m.attrs.get("full_name")
        if m.attrs.get("short_form") and isinstance(full, str):
            name = full  # a defined short form (以下简称望洲集团) is the company it abbreviates
        uscc = m.attrs.get("uscc")
        if uscc and identifiers.parse_uscc(uscc).valid:
            row = self.node("Organization", f"uscc:{uscc}", {"name": name, "uscc": uscc},
                            _opt(identifiers.uscc_region(uscc)), [name, m.text])
            self.by_org_name[name] = row
            return row, "uscc"
        known = self.by_org_name.get(name)
        if known is not None:
            if m.text not in known.aliases:
                known.aliases.append(m.text)
            return known, "same_name_in_document"
        row = self.node("Organization", f"name:{name}", {"name": name}, aliases=[name, m.text])
        return row, "name"

    # --- the document ------------------------------------------------------------------------
    def resolve(self) -> None:
        self.own_case()
        # Organisations with a USCC first, so that later mentions of the name join them.
        entities = self.doc.entities
        order = sorted(range(len(entities)), key=lambda i: (entities[i].type != "ORG" or not entities[i].attrs.get("uscc"), i))
        for cluster in cluster_persons(entities):
            row = self.person(cluster)
            for index in cluster.members:
                self.targets[index] = row
                self.why[index] = cluster.why[index]
            self.acts_for(cluster, row)
        for index in order:
            m = entities[index]
            if m.type == "PERSON":
                continue
            found = self.entity(m)
            if found is not None:
                self.targets[index], self.why[index] = found
        doc_row = NodeRow("Document", self.doc_key)
        for index, m in enumerate(entities):
            target = self.targets[index]
            if target is not None:
                start = m.start + self.offset
                self.rel("MENTIONED_IN", target, doc_row, str(start),
                         {"start": start, "end": m.end + self.offset, "page": m.page, "text": m.text,
                          "resolved_by": self.why.get(index)})
        self.phone_users()
        self.relations()
        self.case_regions()

    def acts_for(self, cluster: PersonCluster, row: NodeRow) -> None:
        """ACTS_FOR: an official named under his title acts for the institution that issued the
        document: the agency that issued its own case number (the court of a judgment), else the
        document's; `issuer` is the organisation the document is headed by (重庆市江津区人民检察院: a
        procuratorate's case number names only the region's procuratorates, and a bank's report its
        branch), the institution that tells two officials of one name apart."""
        titles = sorted({t for i in cluster.members if (t := official_title(self.doc.text, self.doc.entities[i].start))})
        if not titles:
            return
        institution = self.case.props["agency"] if self.case is not None else self.agency.id
        heading = next((m for m in self.doc.entities if m.type == "ORG"), None)
        issuer = (heading.normalized or heading.text) if heading is not None else institution
        self.rel("ACTS_FOR", row, NodeRow("Agency", institution), fid=issuer,
                 props={"title": "、".join(titles), "issuer": issuer})

    def case_regions(self) -> None:
        """A party takes the region of the case it has a role in (DESIGN: the agencies and courts of its
        cases), and so do the phones and addresses the document ties to it."""
        party_regions: dict[str, list[str]] = {}
        for rel in self.rels.values():
            if rel.type == "ROLE_IN" and rel.to_key in self.nodes:
                party_regions.setdefault(rel.from_key, []).extend(self.nodes[rel.to_key].regions)
        for rel in list(self.rels.values()):
            if rel.type in ("USES", "LOCATED_AT") and rel.from_key in party_regions:
                party_regions.setdefault(rel.to_key, []).extend(party_regions[rel.from_key])
        for key, regions in party_regions.items():
            node = self.nodes.get(key)
            if node is not None:
                node.regions.extend(r for r in dict.fromkeys(regions) if r not in node.regions)
        self.holding_regions()

    def holding_regions(self) -> None:
        """An account takes the regions of the holder the document names (its ID's, its cases'): an
        account has no administrative code of its own, and without this a ring of accounts spans no region."""
        for rel in self.rels.values():
            if rel.type == "HOLDS" and rel.from_key in self.nodes and rel.to_key in self.nodes:
                account, holder = self.nodes[rel.to_key], self.nodes[rel.from_key]
                account.regions.extend(r for r in holder.regions if r not in account.regions)

    def phone_users(self) -> None:
        """USES: a phone belongs to the person or company that it follows in the same sentence."""
        text = self.doc.text
        entities = self.doc.entities
        for index, m in enumerate(entities):
            if m.type != "PHONE" or not m.valid or self.targets[index] is None:
                continue
            for back in range(index - 1, -1, -1):
                owner = entities[back]
                if m.start - owner.end > _USER_WINDOW or _SENTENCE_END.search(text, owner.end, m.start):
                    break
                target = self.targets[back]
                if owner.type == "ORG" and _ACCOUNT_INSTITUTION.search(owner.normalized or owner.text):
                    continue
                if owner.type in ("PERSON", "ORG") and target is not None and target.label != "Mention":
                    phone = self.targets[index]
                    assert phone is not None
                    self.rel("USES", target, phone)
                    break

    def relations(self) -> None:
        for rel in self.doc.relations:
            rel_type = REL_TYPES.get(rel.type)
            if rel_type is None:
                continue
            source = self.targets[rel.source] if 0 <= rel.source < len(self.targets) else None
            if rel.target == -1:
                target = self.case
            else:
                target = self.targets[rel.target] if 0 <= rel.target < len(self.targets) else None
            if source is None or target is None or "Mention" in (source.label, target.label) or source is target:
                continue
            if rel_type == "ROLE_IN" and target.label != "Case":
                continue
            props = dict(rel.attrs)
            if "amount" in props:  # a number, as a ledger's: sums over transfers (grades, bundles) add, not concatenate
                props["amount"] = float(props["amount"])
            if rel.role:
                props["role"] = rel.role
            fid = rel.role or ""
            if rel_type == "TRANSFERRED":
                if self.told_transfer(source, target, props):
                    continue
                fid = "text:" + hashlib.sha1(f"{rel.attrs.get('amount')}|{props.get('at')}".encode()).hexdigest()[:16]
            self.rel(rel_type, source, target, fid, props)

    def told_transfer(self, source: NodeRow, target: NodeRow, props: dict[str, Any]) -> bool:
        """A transfer between two accounts on a known day, told by an indictment or a judgment, as the
        transfer the bank statements record: the same identity (`graph.transfer_identity`, k counted in
        this document), so the statement's row and the prose's are one fact with both sources, not
        two transfers of the same money (ring detection counted them twice: twice the amounts, and the
        prose's day-only time put a scatter before its gather). False when it cannot be one."""
        at, amount = props.get("at"), props.get("amount")
        if source.label != "Account" or target.label != "Account" or amount is None or not isinstance(at, str) \
                or not _DAY.match(at):
            return False
        payer, payee, day = source.key.removeprefix("acct:"), target.key.removeprefix("acct:"), at[:10]
        nth = self._same_day.nth(payer, payee, amount, day)
        self.transfers.append(TransferRow(source.key, target.key, transfer_fid(payer, payee, amount, day, nth),
                                          amount, at, props.get("tx_id")))
        return True

    def ledger(self) -> list[TransferRow]:
        """Accounts and transfers of a bank statement read whole; a row without two account numbers is
        no transfer."""
        # the opening data beside the statement: the accounts' cards (aliases) and holders of record
        accounts = LedgerAccounts(links_for([Path(self.doc.path)]) if Path(self.doc.path).is_file() else None)
        transfers = accounts.add(self.doc.transactions)
        for number, row in accounts.first_row.items():
            self.rel("MENTIONED_IN", self.node("Account", *account_node(number)), NodeRow("Document", self.doc_key),
                     "ledger", {"row": row, "resolved_by": "account"})
        self.ledger_holders(accounts)
        return transfers

    def ledger_holders(self, accounts: LedgerAccounts) -> None:
        for number, t in accounts.holders.items():
            self.node("Account", *account_node(number), aliases=accounts.aliases(number))
            self.holder_of_record(number, t)
        self.holding_regions()

    def holder_of_record(self, number: str, t: Transaction) -> None:
        """HOLDS {of_record}: the bank names the queried account's holder with the 证件号码 it recorded
        at opening (real-name system), so the holder is keyed by that resident ID or USCC."""
        assert t.holder_id is not None
        ric, uscc = identifiers.parse_ric(t.holder_id), identifiers.parse_uscc(t.holder_id)
        if ric.valid:
            value = ric.value
            holder = self.node("Person", f"ric:{value}", {"ric": value, "name": t.holder_name,
                                                          "birth_date": identifiers.ric_birth_date(value),
                                                          "gender": identifiers.ric_gender(value)},
                               _opt(identifiers.ric_region(value)), _opt(t.holder_name))
            if "ric" not in holder.merged_on:
                holder.merged_on.append("ric")
        elif uscc.valid:
            value = uscc.value
            holder = self.node("Organization", f"uscc:{value}", {"uscc": value, "name": t.holder_name},
                               _opt(identifiers.uscc_region(value)), _opt(t.holder_name))
        else:
            return  # a mistyped 证件号码 is no key
        self.rel("HOLDS", holder, self.nodes[f"acct:{number}"], props={"of_record": True})


def document_props(doc: ExtractedDocument, agency: AgencyRef, sharing: str,
                   shared_with: list[str] | None) -> dict[str, Any]:
    """The Document node's properties."""
    return {
        "key": document_key(doc.sha256), "sha256": doc.sha256, "agency": agency.id, "path": doc.path,
        "path_id": path_id(agency.id, doc.path),
        "filename": Path(doc.path).name, "kind": doc.kind, "sharing": sharing,
        "shared_with": shared_with or [], "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "case_number": identifiers.normalize_case_number(doc.case_number) if doc.case_number else None,
    }


def resolve_document(doc: ExtractedDocument, agency: AgencyRef, sharing: str = "shared",
                     shared_with: list[str] | None = None, replaces: list[str] | None = None,
                     offset: int = 0) -> DocumentFacts:
    """The facts of `doc`, or of a piece of a document whose text starts at `offset` in its file."""
    resolver = _DocumentResolver(doc, agency, offset)
    transfers: list[TransferRow] = []
    if doc.transactions:
        resolver.own_case()
        transfers = resolver.ledger()
    else:
        resolver.resolve()
    facts = DocumentFacts(document=document_props(doc, agency, sharing, shared_with), replaces=list(replaces or []))
    facts.nodes = list(resolver.nodes.values())
    facts.rels = list(resolver.rels.values())
    facts.transfers = transfers + resolver.transfers
    return facts


def resolve_ledger_head(doc: ExtractedDocument, agency: AgencyRef, accounts: LedgerAccounts, sharing: str,
                        shared_with: list[str] | None, replaces: list[str]) -> DocumentFacts:
    """A streamed ledger's Document with its holders of record (HOLDS) and their accounts; its accounts'
    mentions and its transfers are written apart, in parts (`LedgerAccounts`)."""
    resolver = _DocumentResolver(doc, agency)
    resolver.ledger_holders(accounts)
    return DocumentFacts(document=document_props(doc, agency, sharing, shared_with), replaces=list(replaces),
                         nodes=list(resolver.nodes.values()), rels=list(resolver.rels.values()))


__all__ = ["document_key", "is_anonymised", "resolve_document", "resolve_ledger_head"]
