"""Assembling a case-assist bundle from the bundle_* graph queries, within the caller's visibility.

Every query takes the caller's agency and applies the visibility rule itself (DESIGN.md); this module
only shapes what the queries return and registers, for each fact, the evidence that carries it.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from difflib import SequenceMatcher
from typing import Any, Final

from neo4j import Driver, Record, RoutingControl

from casegraph.bundle import labels, money
from casegraph.bundle.evidence import EvidenceBook
from casegraph.bundle.models import (
    Bundle,
    CaseInfo,
    DocumentInfo,
    GraphState,
    Hit,
    Identifier,
    Money,
    OtherCase,
    Page,
    Party,
    PriorRecord,
    Requester,
    RingInfo,
    RingMember,
    TimelineEvent,
    TimelineSource,
    Transfer,
)
from casegraph.bundle.quotes import sentence_at
from casegraph.errors import InvalidInput, NotFound
from casegraph.graph import rings as ring_store
from casegraph.graph.queries import cypher
from casegraph.i18n.formats import format_amount, format_date, word
from casegraph.model import OFFICIAL_ROLES

PRIOR_KINDS: Final = ("penalty_decision", "risk_alert")
# Organisations named in nearly every file - the agencies themselves, courts, banks - are not parties.
# (Only applied to organisations merely named in the files; a ROLE_IN makes any organisation a party.)
NOT_PARTY_PATTERN: Final = ".*(人民法院|人民检察院|公安|监管局|监督管理|银行).*"


@dataclass(frozen=True)
class Limits:
    """How much of each list a bundle carries; the rest is counted in the list's `total`."""

    parties: int = 100
    offset: int = 0
    other_cases: int = 500
    timeline: int = 300
    transfers: int = 500
    max_hops: int = 4
    frontier: int = 300
    # a counterparty with more transfers than this (a platform, a clearing account) is not followed further
    hub_transfers: int = 2000

    def __post_init__(self) -> None:
        if self.parties < 1 or self.offset < 0 or not 1 <= self.max_hops <= 6:
            raise InvalidInput("limits: parties >= 1, offset >= 0 and 1 <= max_hops <= 6")


def _read(driver: Driver, database: str, name: str, **params: Any) -> list[Record]:
    records, _, _ = driver.execute_query(cypher(name), parameters_=params, database_=database,
                                         routing_=RoutingControl.READ)
    return list(records)


def count_parties(driver: Driver, database: str, case_key: str, agency: str) -> int:
    """How many parties the case has for this caller; 0 when the caller may not see the case."""
    rows = _read(driver, database, "bundle_parties", key=case_key, agency=agency, offset=0, limit=1,
                 not_party=NOT_PARTY_PATTERN, official_roles=sorted(OFFICIAL_ROLES))
    return int(rows[0]["total"]) if rows else 0


def assemble(driver: Driver, database: str, case_key: str, requester: Requester,
             limits: Limits | None = None) -> Bundle:
    limits = limits or Limits()
    agency = requester.agency
    read = lambda name, **p: _read(driver, database, name, agency=agency, **p)  # noqa: E731
    rows = read("bundle_case", key=case_key)
    if not rows:
        raise NotFound(f"no case {case_key!r} visible to agency {agency!r}")
    book = EvidenceBook()
    case = _case(rows[0], case_key)

    party_rows = read("bundle_parties", key=case_key, offset=limits.offset, limit=limits.parties,
                      not_party=NOT_PARTY_PATTERN, official_roles=sorted(OFFICIAL_ROLES))
    parties, ids = _parties(party_rows, case_key, book)
    total_parties = int(party_rows[0]["total"]) if party_rows else 0
    by_key = {p.key: p for p in parties}
    for row in read("bundle_identifiers", ids=list(ids.values())):
        _identifier(row, by_key[row["party"]], book)

    other_cases, hits, prior = _elsewhere(read("bundle_other_cases", ids=list(ids.values()), key=case_key),
                                          case_key, book, {p.key: p.name for p in parties if p.name})
    holders = {i.key: p.key for p in parties for i in p.identifiers if i.kind == "account"}
    money_section = _money(read, holders, limits, book)
    member_keys = sorted({*by_key, *holders, *(i.key for p in parties for i in p.identifiers)})
    ring_ids = [r["ring"] for r in read("bundle_rings", keys=member_keys)]
    rings = [_ring(ring_store.get_ring(driver, database, agency, ring_id), book) for ring_id in ring_ids]

    # the timeline draws on every document the bundle cites so far: the case's own and the parties' other ones
    timeline_docs = {d.key for d in case.documents} | book.documents
    documents = {r["document"]["key"]: dict(r["document"])
                 for r in read("bundle_documents", keys=sorted(book.documents | timeline_docs))}
    timeline = _timeline(documents, timeline_docs, limits.timeline, book)
    evidence, dropped = book.finish(documents)
    if dropped:  # a fact whose only source vanished between the queries is left out, never shown unsourced
        _drop_evidence(dropped, parties, other_cases, prior, money_section, rings, timeline)

    cited = sorted({e.document for e in evidence} | {d.key for d in case.documents})
    state = read("bundle_graph_state")[0]
    sources = [_document_info(documents[k]) for k in cited if k in documents]
    return Bundle(
        created_at=datetime.now(UTC).isoformat(timespec="seconds"), requester=requester, case=case,
        parties=Page[Party](total=total_parties, offset=limits.offset, limit=limits.parties, items=parties),
        other_cases=Page[OtherCase](total=len(other_cases), limit=limits.other_cases,
                                    items=other_cases[:limits.other_cases]),
        hits=hits, prior_records=prior, money=money_section, rings=rings, timeline=timeline, evidence=evidence,
        sources=sources,
        graph_state=GraphState(visible_documents=state["documents"], last_ingested_at=state["last_ingested_at"],
                               sources_sha256=hashlib.sha256("\n".join(cited).encode()).hexdigest()))


def _document_info(doc: dict[str, Any]) -> DocumentInfo:
    return DocumentInfo.model_validate({k: doc.get(k) for k in DocumentInfo.model_fields})


def _case(row: Record, case_key: str) -> CaseInfo:
    c, a = row["case"], row["agency"] or {}
    return CaseInfo(key=case_key, number=c.get("number") or case_key.rsplit(":", 1)[-1],
                    agency=c.get("agency") or a.get("id", ""), agency_name=a.get("name"),
                    region=a.get("region") or next(iter(c.get("regions") or []), None), kind=c.get("kind"),
                    documents=[DocumentInfo.model_validate(d) for d in row["documents"]], cites=sorted(row["cites"]))


def _parties(rows: list[Record], case_key: str, book: EvidenceBook) -> tuple[list[Party], dict[str, str]]:
    parties: list[Party] = []
    ids: dict[str, str] = {}
    for row in rows:
        p = row["party"]
        name = p.get("name")
        mentions = sorted(row["mentions"], key=lambda m: (m["document"], m["start"] or 0))
        by_doc = {m["document"]: m for m in reversed(mentions)}  # first mention per document
        evidence: list[str] = []
        roles: list[str] = []
        who, number = name or p["key"], _number(case_key)
        for r in row["roles"]:
            roles.append(r["role"] or "party")
            said = f"{who}系{number}案的{labels.label(labels.ROLES, r['role'] or 'party')}"
            for source in r["sources"]:
                fact = f"{p['key']} ROLE_IN {case_key} ({r['role']})"
                m = by_doc.get(source)
                evidence.append(book.add_mention(fact, m, said) if m else book.add(fact, source, statement=said))
        if not roles:
            roles = ["mentioned"]
            evidence = [book.add_mention(f"{p['key']} MENTIONED_IN {case_key}", m, f"{number}案的文书提及{who}")
                        for m in list(by_doc.values())[:3]]
        party = Party(key=p["key"], label=row["label"], name=name, roles=sorted(set(roles)),
                      regions=p.get("regions") or [], evidence=list(dict.fromkeys(evidence)))
        for kind in ("ric", "uscc"):
            if p.get(kind):
                party.identifiers.append(Identifier(kind=kind, value=p[kind], key=p["key"],
                                                    evidence=party.evidence[:1]))
        parties.append(party)
        ids[party.key] = row["id"]
    return parties, ids


def _number(case_key: str) -> str:
    """The case number of a case key (`case:<agency>:<number>`)."""
    return case_key.split(":", 2)[-1]


def _identifier(row: Record, party: Party, book: EvidenceBook) -> None:
    kind = "account" if row["rel"] == "HOLDS" else "phone"
    mentions = {m["document"]: m for m in reversed(row["mentions"])}
    fact = f"{party.key} {row['rel']} {row['key']}"
    value = row["number"] or row["key"].split(":", 1)[1]
    said = (f"{party.name or party.key}持有{row['bank'] or ''}账户{value}" if kind == "account"
            else f"{party.name or party.key}使用手机号{value}")
    evidence = [book.add_mention(fact, mentions[s], said) if s in mentions else book.add(fact, s, statement=said)
                for s in row["sources"]]
    party.identifiers.append(Identifier(kind=kind, value=row["number"] or row["key"].split(":", 1)[1],  # type: ignore[arg-type]
                                        key=row["key"], bank=row["bank"], evidence=evidence[:5]))


def _elsewhere(rows: list[Record], case_key: str, book: EvidenceBook,
               names: dict[str, str] | None = None) -> tuple[list[OtherCase], list[Hit], list[PriorRecord]]:
    names = names or {}
    others: dict[tuple[str, str], OtherCase] = {}
    hits: list[Hit] = []
    prior: dict[tuple[str, str], PriorRecord] = {}
    for row in rows:
        party = row["party"]
        # the party's own mentions first, so a case that names it directly is never shown as a possible match
        for s in sorted(row["seen"], key=lambda s: (s["via"] is not None, s["document"])):
            mention = {"document": s["document"], "start": s["start"], "end": s["end"], "page": s["page"]}
            named = s["via"] or party  # the node the document names: the party, or its possible match
            where = f"{labels.label(labels.DOCUMENT_KINDS, s['kind'])}{s['case_number'] or ''}"
            if s["kind"] in PRIOR_KINDS:
                ev = book.add_mention(f"{named} MENTIONED_IN {s['kind']} {s['case_number'] or s['document']}", mention,
                                      f"{names.get(named, named)}见于{where}")
                prior.setdefault((party, s["document"]), PriorRecord(
                    party=party, kind=s["kind"], document=s["document"], agency=s["agency"],
                    case_number=s["case_number"], via=s["via"], evidence=[ev]))
            if not s["case"] or s["case"] == case_key:
                continue
            said = f"{names.get(named, named)}见于{s['number'] or _number(s['case'])}案的{where or '文书'}"
            ev = book.add_mention(f"{named} MENTIONED_IN {s['case']}", mention, said)
            other = others.setdefault((party, s["case"]), OtherCase(
                party=party, key=s["case"], number=s["number"], agency=s["case_agency"] or s["agency"],
                region=next(iter(s["regions"] or []), None), via=s["via"], match_score=s["score"]))
            if s["kind"] and s["kind"] not in other.kinds:
                other.kinds.append(s["kind"])
            other.evidence.append(ev)
        hits.extend(Hit(party=party, agency=h["agency"], region=h["region"], count=h["count"])
                    for h in sorted(row["hidden"], key=lambda h: h["agency"]))
    ordered = sorted(others.values(), key=lambda o: (o.party, o.agency, o.key))
    return ordered, hits, sorted(prior.values(), key=lambda p: (p.party, p.document))


def _flows(rows: list[Record], book: EvidenceBook) -> dict[str, money.Flow]:
    flows: dict[str, money.Flow] = {}
    for r in rows:
        if r["id"] in flows or r["amount"] is None:
            continue
        fact = f"{r['source']} TRANSFERRED {r['target']} {r['amount']:.2f}"
        said = (f"{format_date(r['at'], 'zh') + '，' if r['at'] else ''}账户{r['source'][5:]}向账户{r['target'][5:]}"
                f"转账{format_amount(r['amount'], 'zh')}")
        mentions = {m["document"]: m for m in reversed(r["mentions"])}
        evidence = []
        for s in r["sources"]:
            if s in mentions:
                evidence.append(book.add_mention(fact, mentions[s], said))
            else:  # ledger rows are not stored as text: cite the row and the transaction number
                row = f"第{r['row']}行：" if r["row"] is not None else ""
                evidence.append(book.add(fact, s, statement=said,
                                         quote=f"流水{row}{r['source'][5:]} → {r['target'][5:]}，"
                                               f"{r['amount']:,.2f} 元，{r['at'] or '时间不详'}"
                                               f"{'，交易号 ' + r['tx_id'] if r['tx_id'] else ''}"))
        flows[r["id"]] = money.Flow(r["source"], r["target"], float(r["amount"]), r["at"], r["tx_id"],
                                    tuple(evidence))
    return flows


def _money(read: Any, holders: dict[str, str], limits: Limits, book: EvidenceBook) -> Money:
    party_accounts = set(holders)
    flows = _flows(read("bundle_transfers", accounts=sorted(party_accounts)), book) if party_accounts else {}
    # one ring further out, so paths through intermediaries between the parties show: only the transfers
    # among those accounts (a busy counterparty's dealings with the rest of the world are not the case's)
    frontier: dict[str, float] = defaultdict(float)
    for f in flows.values():
        for acct in (f.source, f.target):
            if acct not in party_accounts:
                frontier[acct] += f.amount
    if frontier and limits.max_hops > 1:
        nearest = sorted(frontier, key=lambda a: (-frontier[a], a))[:limits.frontier]
        flows.update(_flows(read("bundle_transfers_among", accounts=nearest,
                                 within=sorted({*nearest, *party_accounts}),
                                 hub_transfers=limits.hub_transfers), book))
    graph = money.flow_graph(flows.values())
    names: dict[str, str | None] = {r["account"]: r["holder"]
                                    for r in read("bundle_account_holders", accounts=sorted(graph.nodes))}
    all_holders = {**names, **holders}
    touching = sorted((f for f in flows.values() if f.source in party_accounts or f.target in party_accounts),
                      key=lambda f: (f.at or "", f.source, f.target, f.tx_id or ""))
    return Money(
        accounts=money.account_totals(graph, {a: holders[a] for a in party_accounts}),
        counterparties=money.largest_counterparties(graph, party_accounts, all_holders),
        paths=money.flow_paths(graph, party_accounts, limits.max_hops),
        typologies=money.typologies(flows.values(), party_accounts),
        transfers=Page[Transfer](total=len(touching), limit=limits.transfers, items=[
            Transfer(source=f.source, target=f.target, amount=f.amount, at=f.at, tx_id=f.tx_id,
                     evidence=list(f.evidence)) for f in touching[:limits.transfers]]),
        method=money.method())


def _ring(ring: dict[str, Any], book: EvidenceBook) -> RingInfo:
    """A stored ring as get_ring reads it within the caller's sharing: each member with why it is in."""
    members = []
    for m in ring["members"]:
        why = "；".join(_reason(r) for r in m["why"]) or None
        said = f"{m.get('name') or m['key']}属团伙{ring['id']}"
        evidence = [book.add(f"{ring['id']} HAS_MEMBER {m['key']}", s, quote=why, statement=said)
                    for s in m["sources"][:3]]
        members.append(RingMember(key=m["key"], name=m.get("name"), why=why, evidence=evidence))
    return RingInfo(id=ring["id"], typologies=ring.get("typologies") or [], score=ring.get("score"),
                    regions=ring.get("regions") or [], members=members,
                    review=ring.get("status"), review_note=ring.get("note"), reviewed_by=ring.get("reviewed_by"))


def _reason(reason: dict[str, Any]) -> str:
    """One stored reason (casegraph.detect.explain) in words: typology, direction and the other end."""
    if "more" in reason:
        return f"另有 {reason['more']} 条"
    edge = reason.get("edge", "")
    how = labels.label(labels.DIRECTIONS, reason.get("direction")) if edge == "TRANSFERRED" else word(edge, "zh")
    txs = f"（{len(reason['tx_ids'])} 笔）" if reason.get("tx_ids") else ""
    typology = reason.get("typology") or ""
    return f"{labels.TYPOLOGIES.get(typology) or word(typology, 'zh')}：{how} {reason.get('other', '')}{txs}"


_NOT_WORDS = re.compile(r"[\s\d,，。.:：;；()（）〔〕【】\-—]+")


def _timeline(documents: dict[str, dict[str, Any]], keys: set[str], limit: int,
              book: EvidenceBook) -> Page[TimelineEvent]:
    events: dict[tuple[str, str], TimelineEvent] = {}
    for key in sorted(keys):
        doc = documents.get(key)
        if doc is None or not doc.get("text"):
            continue
        text = doc["text"]
        for start, end, value in zip(doc.get("date_starts") or [], doc.get("date_ends") or [],
                                     doc.get("date_values") or [], strict=False):
            if text[end:end + 2] == "出生" or text[max(0, start - 3):start].endswith(("出生于", "生于")):
                # a birth date is an attribute of a person, not an event of the case
                continue
            sentence = sentence_at(text, start, end)
            if len(_NOT_WORDS.sub("", sentence.replace(text[start:end], ""))) < 4:
                continue  # a date alone on its line (a document's dating, a signature) is no event
            if (value, sentence) in events:
                continue
            ev = book.add(f"DATE {value}", key, start, end, statement=f"事件日期：{format_date(value, 'zh')}")
            events[(value, sentence)] = TimelineEvent(date=value, text=sentence, document=key, agency=doc["agency"],
                                                      case_number=doc.get("case_number"), evidence=[ev])
    ordered = _same_events_merged(sorted(events.values(), key=lambda e: (e.date, e.document, e.text)))
    return Page[TimelineEvent](total=len(ordered), limit=limit, items=ordered[:limit])


SAME_EVENT_SIMILARITY = 0.6  # the police's and the procuratorate's wording of one transfer score 0.7-0.9
_PUNCTUATION = re.compile(r"[\s,，。.:：;；、()（）〔〕【】\-—]+")  # digits stay: 50万元 on one day is not 40万元


def _same_events_merged(events: list[TimelineEvent]) -> list[TimelineEvent]:
    """One line per event: a sentence of another document on the same date that says nearly the same (a filing
    and the indictment that repeats it) joins the first as a second source, its evidence kept."""
    merged: list[TimelineEvent] = []
    for event in events:
        words = _PUNCTUATION.sub("", event.text)
        same = next((m for m in merged if m.date == event.date and m.document != event.document
                     and event.document not in {s.document for s in m.also}
                     and SequenceMatcher(None, _PUNCTUATION.sub("", m.text), words).ratio() >= SAME_EVENT_SIMILARITY),
                    None)
        if same is None:
            merged.append(event)
            continue
        same.also.append(TimelineSource(document=event.document, agency=event.agency, case_number=event.case_number))
        same.evidence.extend(event.evidence)
    return merged


def _drop_evidence(dropped: set[str], *sections: Any) -> None:
    def prune(item: Any) -> None:
        if hasattr(item, "evidence") and isinstance(item.evidence, list):
            item.evidence = [e for e in item.evidence if e not in dropped]
        if hasattr(item, "model_fields"):
            for name in type(item).model_fields:
                prune(getattr(item, name))
        elif isinstance(item, list):
            for x in item:
                prune(x)

    for section in sections:
        prune(section)
