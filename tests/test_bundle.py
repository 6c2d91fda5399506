"""Case-assist bundles on the generated small corpus, against the real test Neo4j.

Setup ingests tests/fixtures/corpus_small per agency folder; Sichuan's police and regulator files are
`restricted`, shared with cq-procuratorate only. Three things today's ingest does not produce yet are
written here with Cypher in the shapes the new writer will produce (switch to real ingest once it does):
- persons merged across documents: the truth's party of the chosen case, keyed by resident ID,
  MENTIONED_IN every document the truth says names it;
- ROLE_IN from the truth's relations of the chosen case;
- TRANSFERRED from the ledgers' rows (fid = tx_id, sources = the ledger document).
"""

from __future__ import annotations

import hashlib
import json
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from casegraph import identifiers
from casegraph.api.app import create_app
from casegraph.bundle.assemble import Limits, assemble
from casegraph.bundle.models import Bundle, Requester
from casegraph.bundle.package import verify, write_bundle
from casegraph.errors import NotFound
from casegraph.graph.connection import get_driver
from casegraph.graph.queries import cypher
from casegraph.graph.users import add_user
from casegraph.ingest.extract import extract_file
from casegraph.ingest.resolve import case_key
from casegraph.ingest.run import ingest
from casegraph.settings import Settings
from tests.conftest import FIXTURES

CORPUS = FIXTURES / "corpus_small"
RESTRICTED = {"sc-police", "sc-regulator"}
PROSECUTOR = Requester(agency="cq-procuratorate", user="p1", purpose="审查起诉")
OUTSIDER = Requester(agency="cq-police", user="i1", purpose="侦查")


def _truth() -> dict[str, Any]:
    return json.loads((CORPUS / "truth.json").read_text(encoding="utf-8"))


def _case_doc(truth: dict[str, Any]) -> str:
    """The first Chongqing indictment whose parties also appear in Sichuan police and regulator cases
    (chosen from the truth, so that a regenerated fixture keeps the test meaningful)."""
    for doc in truth["documents"]:
        if doc["agency"] != "cq-procuratorate" or doc["kind"] != "indictment" or doc["format"] != "txt":
            continue
        parties = {doc["mentions"][r["from"]].get("entity") for r in doc["relations"] if r["type"] == "ROLE_IN"}
        holders = {o["agency"] for o in truth["documents"] if o["agency"] in RESTRICTED and o["case_number"]
                   and any(m.get("entity") in parties for m in o["mentions"])}
        if holders == RESTRICTED:
            return str(doc["path"])
    raise AssertionError("the fixture corpus has no indictment whose parties both Sichuan agencies name")


def _doc_key(relative: str) -> str:
    return "doc:" + hashlib.sha256((CORPUS / relative).read_bytes()).hexdigest()


def _entity_key(truth: dict[str, Any], entity: str) -> str | None:
    person = next((p for p in truth["persons"] if p["id"] == entity), None)
    if person:
        return f"ric:{person['ric']}" if person.get("ric") else None
    org = next((o for o in truth["organizations"] if o["id"] == entity), None)
    return f"uscc:{org['uscc']}" if org and org.get("uscc") else None


def _merge_truth_facts(driver: Driver, db: str, truth: dict[str, Any]) -> tuple[str, set[str]]:
    """ROLE_IN of the chosen case and cross-document MENTIONED_IN of its parties; returns (case key, party keys)."""
    case_doc = _case_doc(truth)
    doc = next(d for d in truth["documents"] if d["path"] == case_doc)
    key = case_key(doc["agency"], doc["case_number"])
    roles = [(doc["mentions"][r["from"]]["entity"], r["role"]) for r in doc["relations"] if r["type"] == "ROLE_IN"]
    parties: dict[str, str] = {}
    for entity, role in roles:
        party = _entity_key(truth, entity) if entity else None
        if party:
            parties[entity] = party
            driver.execute_query(
                "MATCH (p {key: $p}) WHERE p:Person OR p:Organization MATCH (c:Case {key: $c}) "
                "MERGE (p)-[r:ROLE_IN {fid: $role}]->(c) SET r.role = $role, r.sources = [$doc]",
                p=party, c=key, role=role, doc=_doc_key(case_doc), database_=db)
    for other in truth["documents"]:
        for m in other["mentions"]:
            if m.get("entity") in parties:
                driver.execute_query(
                    "MATCH (p {key: $p}) WHERE p:Person OR p:Organization MATCH (d:Document {key: $d}) "
                    "MERGE (p)-[r:MENTIONED_IN {fid: toString($start)}]->(d) "
                    "SET r.start = $start, r.end = $end, r.text = $text, r.sources = [$d], "
                    "    p.sources = CASE WHEN $d IN p.sources THEN p.sources ELSE p.sources + $d END",
                    p=parties[m["entity"]], d=_doc_key(other["path"]), start=m["start"], end=m["end"], text=m["text"],
                    database_=db)
        for r in other.get("relations", []):  # their accounts, as the merged person will hold them
            source, target = other["mentions"][r["from"]], other["mentions"][r["to"]]
            if r["type"] == "OWNS_ACCOUNT" and source.get("entity") in parties and target.get("normalized"):
                driver.execute_query(
                    "MATCH (p {key: $p}) WHERE p:Person OR p:Organization MATCH (d:Document {key: $d}) "
                    "MERGE (a:Account {key: $a}) ON CREATE SET a.number = $n "
                    "MERGE (p)-[h:HOLDS {fid: ''}]->(a) "
                    "SET h.sources = CASE WHEN $d IN coalesce(h.sources, []) THEN h.sources "
                    "                     ELSE coalesce(h.sources, []) + $d END",
                    p=parties[source["entity"]], d=_doc_key(other["path"]), a=f"acct:{target['normalized']}",
                    n=target["normalized"], database_=db)
    return key, set(parties.values())


def _merge_ledger_transfers(driver: Driver, db: str) -> None:
    for path in sorted(CORPUS.glob("*/ledger_*")):
        doc = extract_file(path)
        rows = [{"from": f"acct:{t.from_account}", "to": f"acct:{t.to_account}", "amount": t.amount, "at": t.at,
                 "row": t.row, "tx_id": t.tx_id or f"{path.name}:{t.row}"} for t in doc.transactions]
        driver.execute_query(
            "UNWIND $rows AS row MERGE (a:Account {key: row.from}) MERGE (b:Account {key: row.to}) "
            "MERGE (a)-[r:TRANSFERRED {fid: row.tx_id}]->(b) "
            "SET r.amount = row.amount, r.at = row.at, r.tx_id = row.tx_id, r.row = row.row, r.sources = [$doc]",
            rows=rows, doc=f"doc:{doc.sha256}", database_=db)


@pytest.fixture(scope="module")
def graph(neo4j_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Driver, str, Any]]:
    driver, db = get_driver(neo4j_settings), neo4j_settings.neo4j_database
    driver.execute_query("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n", database_=db)
    truth = _truth()
    home = tmp_path_factory.mktemp("home")
    for agency in truth["agencies"]:
        driver.execute_query(cypher("agency_upsert"), id=agency["id"], kind=agency["kind"], region=agency["region"],
                             name=agency["name"], default_sharing="shared", database_=db)
        if (CORPUS / agency["id"]).is_dir():
            restricted = agency["id"] in RESTRICTED
            ingest(driver, db, [CORPUS / agency["id"]], agency["id"], home,
                   sharing="restricted" if restricted else "shared",
                   shared_with=["cq-procuratorate"] if restricted else [])
    key, parties = _merge_truth_facts(driver, db, truth)
    _merge_ledger_transfers(driver, db)
    yield driver, db, {"case": key, "parties": parties, "truth": truth}


def _expected_other_region_cases(truth: dict[str, Any], parties: set[str]) -> set[tuple[str, str]]:
    """(party key, case key) of Sichuan police and regulator documents that the truth says name a party."""
    wanted = set()
    for doc in truth["documents"]:
        if doc["agency"] not in RESTRICTED or not doc["case_number"]:
            continue
        for m in doc["mentions"]:
            party = _entity_key(truth, m["entity"]) if m.get("entity") else None
            if party in parties:
                wanted.add((party, case_key(doc["agency"], doc["case_number"])))
    return wanted


def _visible(driver: Driver, db: str, document: str, agency: str) -> bool:
    records, _, _ = driver.execute_query(
        "MATCH (d:Document {key: $k}) RETURN d.agency = $a OR d.sharing = 'shared' OR "
        "(d.sharing = 'restricted' AND $a IN d.shared_with) AS ok", k=document, a=agency, database_=db)
    return bool(records and records[0]["ok"])


def test_lists_the_other_regions_police_and_regulator_cases(graph: tuple[Driver, str, Any]) -> None:
    driver, db, ctx = graph
    bundle = assemble(driver, db, ctx["case"], PROSECUTOR)
    expected = _expected_other_region_cases(ctx["truth"], ctx["parties"])
    assert {identifiers.normalize_case_number(k.split(":", 2)[2]) for _, k in expected}  # the corpus has such cases
    assert {k.split(":")[1] for _, k in expected} == RESTRICTED
    listed = {(o.party, o.key) for o in bundle.other_cases.items}
    assert expected <= listed
    assert all(o.region == "SC" for o in bundle.other_cases.items if o.agency in RESTRICTED)
    roles = {p.key: p.roles for p in bundle.parties.items}
    assert all(roles[p] != ["mentioned"] for p in ctx["parties"])  # ROLE_IN wins over mere mentions
    assert bundle.parties.total == len(ctx["parties"])
    # the risk alert of the other region is a prior record of the party
    assert any(r.kind == "risk_alert" and r.agency == "sc-regulator" for r in bundle.prior_records)
    assert not any(h.agency in RESTRICTED for h in bundle.hits)


def test_caller_without_access_gets_only_hits(graph: tuple[Driver, str, Any]) -> None:
    driver, db, ctx = graph
    bundle = assemble(driver, db, ctx["case"], OUTSIDER)
    assert not any(o.agency in RESTRICTED for o in bundle.other_cases.items)
    assert not any(e.agency in RESTRICTED for e in bundle.evidence)
    assert not any(r.agency in RESTRICTED for r in bundle.prior_records)
    hits = {(h.party, h.agency): h for h in bundle.hits}
    expected = _expected_other_region_cases(ctx["truth"], ctx["parties"])
    for party, key in expected:
        hit = hits[(party, key.split(":")[1])]
        assert hit.count >= 1 and hit.access_request == "/v1/access-requests" and hit.region == "SC"
    dumped = bundle.model_dump_json()
    assert not any(key in dumped for _, key in expected)  # not even the case numbers leak


def test_every_fact_has_a_source_the_caller_may_see(graph: tuple[Driver, str, Any]) -> None:
    driver, db, ctx = graph
    for requester in (PROSECUTOR, OUTSIDER):
        bundle = assemble(driver, db, ctx["case"], requester)
        ids = {e.id for e in bundle.evidence}
        assert all(_visible(driver, db, e.document, requester.agency) for e in bundle.evidence)
        assert all(e.quote for e in bundle.evidence)
        facts: list[Any] = [*bundle.parties.items, *bundle.other_cases.items, *bundle.prior_records,
                            *bundle.money.counterparties, *bundle.money.paths, *bundle.money.typologies,
                            *bundle.money.transfers.items, *bundle.timeline.items,
                            *(i for p in bundle.parties.items for i in p.identifiers)]
        assert facts and all(f.evidence and set(f.evidence) <= ids for f in facts)
        assert all(_visible(driver, db, d.key, requester.agency) for d in bundle.sources)


def test_money_totals_match_the_graph(graph: tuple[Driver, str, Any]) -> None:
    driver, db, ctx = graph
    bundle = assemble(driver, db, ctx["case"], PROSECUTOR)
    moving = [a for a in bundle.money.accounts if a.count_out]
    assert moving, "the chosen case's accounts move money in the ledgers"
    for account in moving:
        records, _, _ = driver.execute_query(
            "MATCH (:Account {key: $k})-[r:TRANSFERRED]->() RETURN sum(toFloat(r.amount)) AS s, count(r) AS n",
            k=account.account, database_=db)
        assert account.total_out == pytest.approx(records[0]["s"]) and account.count_out == records[0]["n"]
    assert bundle.money.transfers.total >= len(bundle.money.transfers.items) > 0
    assert bundle.timeline.items and bundle.timeline.items == sorted(bundle.timeline.items, key=lambda e: e.date)


def test_parties_are_paged_with_totals(graph: tuple[Driver, str, Any]) -> None:
    driver, db, ctx = graph
    first = assemble(driver, db, ctx["case"], PROSECUTOR, Limits(parties=1))
    second = assemble(driver, db, ctx["case"], PROSECUTOR, Limits(parties=1, offset=1))
    assert first.parties.total == second.parties.total == len(ctx["parties"]) >= 2
    assert len(first.parties.items) == len(second.parties.items) == 1
    assert first.parties.items[0].key != second.parties.items[0].key


def test_manifest_hashes_verify_and_catch_tampering(graph: tuple[Driver, str, Any], tmp_path: Path) -> None:
    driver, db, ctx = graph
    bundle = assemble(driver, db, ctx["case"], PROSECUTOR)
    written = write_bundle(bundle, tmp_path / "out")
    assert verify(written.zip_path) == []
    manifest = written.manifest
    for entry in manifest.files:
        assert hashlib.sha256((tmp_path / "out" / entry.name).read_bytes()).hexdigest() == entry.sha256
    for source in manifest.source_documents:  # each source document's hash is the hash of its file's bytes
        records, _, _ = driver.execute_query("MATCH (d:Document {key: $k}) RETURN d.path AS p", k=source.key,
                                             database_=db)
        assert hashlib.sha256(Path(records[0]["p"]).read_bytes()).hexdigest() == source.sha256
    assert manifest.requester == PROSECUTOR and manifest.graph_state.visible_documents > 0
    assert Bundle.model_validate_json((tmp_path / "out" / "bundle.json").read_bytes()).case.key == ctx["case"]
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(written.zip_path) as src, zipfile.ZipFile(tampered, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data + b" " if name == "bundle.html" else data)
    assert verify(tampered) == ["bundle.html: SHA-256 differs from the manifest"]


def test_sealed_documents_give_not_even_a_hit(graph: tuple[Driver, str, Any]) -> None:
    driver, db, ctx = graph
    before = {h.agency for h in assemble(driver, db, ctx["case"], OUTSIDER).hits}
    assert "sc-regulator" in before
    driver.execute_query("MATCH (d:Document {agency: 'sc-regulator'}) SET d.sharing = 'sealed'", database_=db)
    try:
        after = {h.agency for h in assemble(driver, db, ctx["case"], OUTSIDER).hits}
        assert "sc-regulator" not in after
    finally:
        driver.execute_query("MATCH (d:Document {agency: 'sc-regulator'}) SET d.sharing = 'restricted'", database_=db)


def test_api_answers_small_cases_at_once_and_large_ones_as_jobs(graph: tuple[Driver, str, Any],
                                                                 neo4j_settings: Settings) -> None:
    driver, db, ctx = graph
    url = f"/v1/cases/{ctx['case']}/bundles"
    # Callers are API keys (issue 6): a prosecutor of the case's side and an investigator elsewhere.
    _, prosecutor_key = add_user(driver, db, f"p-{time.monotonic_ns()}", "cq-procuratorate", "prosecutor", "test")
    _, police_key = add_user(driver, db, f"i-{time.monotonic_ns()}", "cq-police", "investigator", "test")
    prosecutor = {"Authorization": f"Bearer {prosecutor_key}"}
    police = {"Authorization": f"Bearer {police_key}"}
    with TestClient(create_app(neo4j_settings)) as client:
        now = client.post(url, headers=prosecutor, json={"purpose": "审查起诉"})
        assert now.status_code == 200, now.text
        assert now.json()["case"]["key"] == ctx["case"] and now.json()["requester"]["purpose"] == "审查起诉"
        client.app.state.bundle_large_case_parties = 0  # type: ignore[attr-defined]
        queued = client.post(url, headers=prosecutor)
        assert queued.status_code == 202 and queued.headers["location"].startswith("/v1/bundles/jobs/")
        job_url = queued.headers["location"]
        for _ in range(600):
            job = client.get(job_url, headers=prosecutor).json()
            if job["status"] in ("done", "failed"):
                break
            time.sleep(0.2)
        assert job["status"] == "done" and job["bundle"]["parties"]["total"] == len(ctx["parties"])
        assert client.get(job_url, headers=police).status_code == 404  # not the caller's job
        archive = client.get(job_url + "/zip", headers=prosecutor)
        assert archive.status_code == 200 and archive.content.startswith(b"PK")
        missing = client.post("/v1/cases/case:cq-police:nope/bundles", headers=police)
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
        assert client.post("/v1/cases/nonsense/bundles", headers=police).status_code == 422
        assert client.post(url).status_code == 401  # no API key
        schema = client.get("/openapi.json").json()
        assert "Bundle" in schema["components"]["schemas"] and "/v1/bundles/jobs/{job_id}" in schema["paths"]


def test_unknown_or_invisible_case_is_not_found(graph: tuple[Driver, str, Any]) -> None:
    driver, db, _ = graph
    with pytest.raises(NotFound):
        assemble(driver, db, "case:cq-police:渝公经诉字(1999)1号", PROSECUTOR)
    sc_case = case_key("sc-police", next(d["case_number"] for d in _truth()["documents"]
                                         if d["agency"] == "sc-police" and d["case_number"]))
    assert assemble(driver, db, sc_case, PROSECUTOR).case.key == sc_case
    with pytest.raises(NotFound):
        assemble(driver, db, sc_case, OUTSIDER)
