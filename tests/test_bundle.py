"""Case-assist bundles on the generated small corpus, against the real test Neo4j.

Setup ingests tests/fixtures/corpus_small through casegraph's ingest, per agency folder (tests/graph_corpus.py);
Sichuan's police and regulator files are `restricted`, shared with cq-procuratorate only. Everything the
bundle shows - parties and roles, people linked across documents, accounts, transfers - is what ingest wrote;
the expectations come from the corpus's truth file.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

import casegraph.api.job_kinds  # noqa: F401  (registers "bundle")
from casegraph import identifiers
from casegraph.api.app import create_app
from casegraph.bundle.assemble import Limits, assemble
from casegraph.bundle.models import Bundle, Requester
from casegraph.bundle.package import verify, write_bundle
from casegraph.detect.jobs import detect_on_graph, write_run
from casegraph.detect.params import DetectionParams
from casegraph.errors import NotFound
from casegraph.graph import audit_log, jobs
from casegraph.graph import rings as ring_store
from casegraph.graph.connection import get_driver
from casegraph.graph.users import add_user
from casegraph.ingest.resolve import case_key
from casegraph.settings import Settings
from tests.graph_corpus import CORPUS, ingest_corpus

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


def _entity_key(truth: dict[str, Any], entity: str) -> str | None:
    person = next((p for p in truth["persons"] if p["id"] == entity), None)
    if person:
        return f"ric:{person['ric']}" if person.get("ric") else None
    org = next((o for o in truth["organizations"] if o["id"] == entity), None)
    return f"uscc:{org['uscc']}" if org and org.get("uscc") else None


def _parties(truth: dict[str, Any], case_doc: str) -> set[str]:
    """Keys of the case's parties that the truth gives an identifier (ROLE_IN relations of its document)."""
    doc = next(d for d in truth["documents"] if d["path"] == case_doc)
    entities = {doc["mentions"][r["from"]].get("entity") for r in doc["relations"] if r["type"] == "ROLE_IN"}
    return {k for e in entities if e and (k := _entity_key(truth, e))}


@pytest.fixture(scope="module")
def graph(neo4j_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Driver, str, Any]]:
    driver, db = get_driver(neo4j_settings), neo4j_settings.neo4j_database
    ingest_corpus(driver, db, tmp_path_factory.mktemp("home"),
                  sharing={agency: ("restricted", ["cq-procuratorate"]) for agency in RESTRICTED})
    truth = _truth()
    case_doc = _case_doc(truth)
    doc = next(d for d in truth["documents"] if d["path"] == case_doc)
    yield driver, db, {"case": case_key(doc["agency"], doc["case_number"]), "parties": _parties(truth, case_doc),
                       "truth": truth}


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
    # Sichuan's files name these people without their resident ID: resolution keeps them apart as open
    # POSSIBLY_SAME_AS candidates, and the bundle lists their cases marked as possible matches.
    for o in bundle.other_cases.items:
        if o.via is not None:
            assert o.via != o.party and o.match_score is not None and o.match_score > 0
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


def _events(driver: Driver, db: str, user: str) -> list[dict[str, Any]]:
    for _ in range(50):  # the app's close (the client's exit above) shipped its spool; poll all the same
        events = audit_log.query(driver, db, user=user)
        if events:
            return events
        time.sleep(0.1)
    return []


def test_api_answers_small_cases_at_once_and_audits_the_purpose_and_keys(graph: tuple[Driver, str, Any],
                                                                         neo4j_settings: Settings) -> None:
    driver, db, ctx = graph
    url = f"/v1/cases/{ctx['case']}/bundles"
    user = f"p-{time.monotonic_ns()}"
    _, key = add_user(driver, db, user, "cq-procuratorate", "prosecutor", "test")
    with TestClient(create_app(neo4j_settings)) as client:
        now = client.post(url, headers={"Authorization": f"Bearer {key}"}, json={"purpose": "审查起诉 渝检刑诉"})
        assert now.status_code == 200, now.text
        body = Bundle.model_validate(now.json())
        assert body.case.key == ctx["case"] and body.requester.purpose == "审查起诉 渝检刑诉"
        unstated = client.post(url, headers={"Authorization": f"Bearer {key}"}, json={})
        assert unstated.status_code == 422  # a bundle states why it is drawn
        # The answer links to the same bundle rendered (issue 18): HTML, PDF and zip, with the same purpose.
        assert body.links is not None and set(body.links) == {"html", "pdf", "zip"}
        media = {"html": "text/html", "pdf": "application/pdf", "zip": "application/zip"}
        for fmt, link in sorted(body.links.items()):
            got = client.get(link, headers={"Authorization": f"Bearer {key}"})
            assert got.status_code == 200 and got.headers["content-type"].startswith(media[fmt]), (fmt, got.text[:200])
        assert ctx["case"].split(":")[-1] in client.get(body.links["html"],
                                                        headers={"Authorization": f"Bearer {key}"}).text
        _, analyst = add_user(driver, db, f"a-{time.monotonic_ns()}", "cq-procuratorate", "analyst", "test")
        refused = client.get(body.links["pdf"], headers={"Authorization": f"Bearer {analyst}"})
        assert refused.status_code == 403  # identifiers in full: not for a masked role
    openapi = create_app(neo4j_settings).openapi()
    assert "links" in openapi["components"]["schemas"]["Bundle"]["properties"]
    assert "/v1/cases/{key}/bundle-files/{file_format}" in openapi["paths"]
    events = _events(driver, db, user)
    assert [(e["action"], e["status"]) for e in events][:2] == [("bundle", 200), ("bundle", 422)]
    assert all(e["purpose"] == "审查起诉 渝检刑诉" for e in events[2:]) and len(events) == 6
    record = events[0]
    assert record["purpose"] == "审查起诉 渝检刑诉" and record["agency"] == "cq-procuratorate"
    returned = set(record["returned"])
    assert {ctx["case"], *ctx["parties"]} <= returned
    assert {o.key for o in body.other_cases.items} <= returned and {d.key for d in body.sources} <= returned
    assert audit_log.verify(driver, db) == []


def test_large_case_is_a_durable_job_with_its_bundle_stored(graph: tuple[Driver, str, Any], neo4j_settings: Settings,
                                                            tmp_path: Path) -> None:
    driver, db, ctx = graph
    url = f"/v1/cases/{ctx['case']}/bundles"
    # Callers are API keys (issue 6): a prosecutor of the case's side and an investigator elsewhere.
    user = f"p-{time.monotonic_ns()}"
    _, prosecutor_key = add_user(driver, db, user, "cq-procuratorate", "prosecutor", "test")
    _, police_key = add_user(driver, db, f"i-{time.monotonic_ns()}", "cq-police", "investigator", "test")
    prosecutor = {"Authorization": f"Bearer {prosecutor_key}"}
    police = {"Authorization": f"Bearer {police_key}"}
    purpose = {"purpose": "审查起诉"}
    with TestClient(create_app(neo4j_settings)) as client:
        client.app.state.bundle_large_case_parties = 0  # type: ignore[attr-defined]
        queued = client.post(url, headers=prosecutor, json=purpose)
        assert queued.status_code == 202 and queued.headers["location"].startswith("/v1/bundles/jobs/")
        job_url = queued.headers["location"]
        job_id = queued.json()["id"]
        assert jobs.get(driver, db, job_id)["kind"] == "bundle"  # a (:Job) node, not process memory
        for _ in range(1200):
            job = client.get(job_url, headers=prosecutor).json()
            if job["status"] in ("succeeded", "failed", "cancelled"):
                break
            time.sleep(0.25)
        assert job["status"] == "succeeded", job
        assert job["result"]["parties"] == len(ctx["parties"]) and job["result"]["zip"] == job_url + "/zip"
        assert client.get(job_url, headers=police).status_code == 404  # not the caller's job
        archive = client.get(job_url + "/zip", headers=prosecutor)
        assert archive.status_code == 200 and archive.content.startswith(b"PK")
        (tmp_path / "bundle.zip").write_bytes(archive.content)
        assert verify(tmp_path / "bundle.zip") == []
        with zipfile.ZipFile(tmp_path / "bundle.zip") as z:
            manifest = json.loads(z.read("manifest.json"))
        assert {f["name"]: f["sha256"] for f in manifest["files"]} == job["result"]["files"]
        stored = Bundle.model_validate_json(client.get(job_url + "/bundle", headers=prosecutor).content)
        assert stored.case.key == ctx["case"] and stored.requester.user == user
        missing = client.post("/v1/cases/case:cq-police:nope/bundles", headers=police, json=purpose)
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
        assert client.post("/v1/cases/nonsense/bundles", headers=police, json=purpose).status_code == 422
        assert client.post(url, json=purpose).status_code == 401  # no API key
        schema = client.get("/openapi.json").json()
        assert "Bundle" in schema["components"]["schemas"] and "/v1/bundles/jobs/{job_id}" in schema["paths"]
    fetched = [e for e in _events(driver, db, user) if e["path"] == job_url + "/zip"]
    assert fetched and fetched[0]["purpose"] == "审查起诉" and ctx["case"] in fetched[0]["returned"]


def test_bundle_job_interrupted_by_a_restart_is_reported_failed(graph: tuple[Driver, str, Any],
                                                                neo4j_settings: Settings) -> None:
    driver, db, ctx = graph
    _, key = add_user(driver, db, f"p-{time.monotonic_ns()}", "cq-procuratorate", "prosecutor", "test")
    # a job the previous API process had queued when it went away
    job = jobs.create(driver, db, "bundle", {"case": ctx["case"], "purpose": "审查起诉", "parties": 100,
                                             "offset": 0, "store": "/nonexistent"}, "cq-procuratorate", "p")
    with TestClient(create_app(neo4j_settings)) as client:
        seen = client.get(f"/v1/bundles/jobs/{job['id']}", headers={"Authorization": f"Bearer {key}"}).json()
        generic = client.get(f"/v1/jobs/{job['id']}", headers={"Authorization": f"Bearer {key}"})
    assert seen["status"] == "failed" and seen["error"]["code"] == "interrupted" and seen["error"]["hint"]
    assert generic.status_code == 200 and generic.json()["kind"] == "bundle" and generic.json()["status"] == "failed"


def test_unknown_or_invisible_case_is_not_found(graph: tuple[Driver, str, Any]) -> None:
    driver, db, _ = graph
    with pytest.raises(NotFound):
        assemble(driver, db, "case:cq-police:渝公经诉字(1999)1号", PROSECUTOR)
    sc_case = case_key("sc-police", next(d["case_number"] for d in _truth()["documents"]
                                         if d["agency"] == "sc-police" and d["case_number"]))
    assert assemble(driver, db, sc_case, PROSECUTOR).case.key == sc_case
    with pytest.raises(NotFound):
        assemble(driver, db, sc_case, OUTSIDER)


def test_rings_are_the_stored_rings_any_party_belongs_to(graph: tuple[Driver, str, Any]) -> None:
    driver, db, ctx = graph
    # a detection run as an analyst of the prosecutor's agency would start it, written back as the job does
    started = datetime.now(UTC)
    projection, result, stats = detect_on_graph(driver, db, PROSECUTOR.agency, DetectionParams())
    write_run(driver, db, f"run-test-{time.monotonic_ns()}", PROSECUTOR.agency, projection, result, stats, started)
    bundle = assemble(driver, db, ctx["case"], PROSECUTOR)
    keys = {p.key for p in bundle.parties.items} | {i.key for p in bundle.parties.items for i in p.identifiers}
    expected = set()
    for listed in ring_store.list_rings(driver, db, PROSECUTOR.agency, limit=500)["rings"]:
        ring = ring_store.get_ring(driver, db, PROSECUTOR.agency, listed["id"])
        if {m["key"] for m in ring["members"]} & keys:
            expected.add(ring["id"])
    assert expected, "the chosen case's parties are in a detected ring"
    assert {r.id for r in bundle.rings} == expected
    ids = {e.id for e in bundle.evidence}
    for ring in bundle.rings:
        assert ring.members and all(m.evidence and set(m.evidence) <= ids for m in ring.members)
        assert any(m.why for m in ring.members)
        assert all("HOLDS" not in (m.why or "") and "USES" not in (m.why or "") for m in ring.members)
    # an analyst's review reaches the bundle, in the HTML and the PDF a prosecutor reads (issue 18)
    reviewed = sorted(expected)[0]
    ring_store.review_ring(driver, db, PROSECUTOR.agency, "analyst-1", reviewed, "confirmed", "资金闭环经核实")
    again = assemble(driver, db, ctx["case"], PROSECUTOR)
    info = next(r for r in again.rings if r.id == reviewed)
    assert (info.review, info.review_note, info.reviewed_by) == ("confirmed", "资金闭环经核实", "analyst-1")
    from casegraph.bundle.render_html import render_html

    assert "审核：已确认（analyst-1），资金闭环经核实" in render_html(again)
    outsider = assemble(driver, db, ctx["case"], OUTSIDER)
    hidden = {e.document for e in outsider.evidence}
    assert all(_visible(driver, db, d, OUTSIDER.agency) for d in hidden)


# Three or more English words in a row, outside identifiers (keys, file names, codes).
_ENGLISH_RUN = re.compile(r"(?<![-\w.:/<])[A-Za-z]{2,}(?:[ ,']+[A-Za-z]{2,}){2,}(?![\w:/])")
_TRIPLE = re.compile(r"\b(ROLE_IN|TRANSFERRED|HOLDS|USES|MENTIONED_IN|HAS_MEMBER|LEGAL_REP_OF|DATE \d{4})\b")


def test_the_report_a_prosecutor_reads_is_chinese_with_facts_as_sentences(graph: tuple[Driver, str, Any],
                                                                          tmp_path: Path) -> None:
    """What bundle.html and bundle.pdf show (the HTML's text, the PDF's text layer; the render tests turn
    the same files into PNGs): no run of English words, no machine triple, every PDF font embedded."""
    import subprocess
    from html.parser import HTMLParser

    from casegraph.bundle.package import render_files

    driver, db, ctx = graph
    files = render_files(assemble(driver, db, ctx["case"], PROSECUTOR))

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self._skip = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self._skip += tag in ("style", "script")

        def handle_endtag(self, tag: str) -> None:
            self._skip -= tag in ("style", "script")

        def handle_data(self, data: str) -> None:
            if not self._skip:
                self.parts.append(data)

    parser = _Text()
    parser.feed(files["bundle.html"].decode("utf-8"))
    html_text = "\n".join(parser.parts)
    (tmp_path / "bundle.pdf").write_bytes(files["bundle.pdf"])
    pdf_text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "bundle.pdf"), "-"], check=True,
                              capture_output=True, text=True, timeout=120).stdout
    for name, text in (("html", html_text), ("pdf", pdf_text)):
        assert "证据清单" in text, name
        assert not _TRIPLE.findall(text), (name, sorted(set(_TRIPLE.findall(text))))
        assert not _ENGLISH_RUN.findall(text), (name, _ENGLISH_RUN.findall(text)[:10])
    fonts = subprocess.run(["pdffonts", str(tmp_path / "bundle.pdf")], check=True, capture_output=True,
                           text=True, timeout=60).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts
