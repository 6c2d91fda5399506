"""Property: for random sharing settings, no response of a caller carries a key, name or number that
comes only from documents it may not see, and hits are reported exactly when they should be.

The data: the examples (five agencies, both regions, one ring across them) plus the thin fixture,
ingested once for the module. Each example draws a sharing level (and the agencies a restricted
document names, and access grants, some expired) for every document, a calling agency and role, and
checks every lookup endpoint against an oracle that evaluates DESIGN.md's sharing rule in Python.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j import Driver

from casegraph.access.caller import Caller
from casegraph.access.masking import mask_text
from casegraph.alerts.watches import watch_spec
from casegraph.api.app import create_app
from casegraph.errors import InvalidInput
from casegraph.graph.alert_store import add_watch
from casegraph.graph.connection import get_driver
from casegraph.graph.lookups import identifier_key
from casegraph.graph.queries import cypher
from casegraph.ingest.run import ingest
from casegraph.settings import Settings
from tests.access_helpers import add_users
from tests.conftest import REPO
from tests.test_thin_path import PERSON as THIN_PERSON
from tests.test_thin_path import THIN
from tests.web_helpers import detect

AGENCIES = ["cq-police", "sc-police", "cq-procuratorate", "sc-procuratorate", "cq-regulator", "sc-regulator"]
KINDS = {"police": "police", "procuratorate": "procuratorate", "regulator": "regulator"}
PURPOSE = {"purpose": "川检刑诉(2023)17号"}
THIN_SUSPECT = THIN_PERSON.split(":", 1)[1]
HANDLE = re.compile(r"h:[0-9a-f]{34,}")


@dataclass
class Corpus:
    driver: Driver
    database: str
    client: TestClient
    keys: dict[tuple[str, str], str]
    docs: dict[str, str]                                   # document key → owner agency
    doc_case: dict[str, str | None]                        # document key → case key
    tokens: dict[str, set[str]] = field(default_factory=dict)  # document key → keys, names, numbers it states
    sources: dict[str, list[str]] = field(default_factory=dict)  # entity key → its source documents
    names: list[str] = field(default_factory=list)


def _tokens_of_documents(driver: Driver, db: str) -> tuple[dict[str, set[str]], dict[str, str | None]]:
    tokens: dict[str, set[str]] = defaultdict(set)
    records, _, _ = driver.execute_query(
        "MATCH (d:Document) OPTIONAL MATCH (d)-[:OF_CASE]->(c:Case) "
        "OPTIONAL MATCH (n)-[m:MENTIONED_IN]->(d) "
        "RETURN d.key AS doc, d.filename AS filename, c.key AS case, c.number AS number, "
        "collect(DISTINCT n.key) AS keys, collect(DISTINCT m.text) AS texts", database_=db)
    cases = {}
    for r in records:
        t = tokens[r["doc"]]
        t.update([r["doc"], r["filename"], *r["keys"], *r["texts"]])
        if r["case"]:
            t.update([r["case"], r["number"]])
        cases[r["doc"]] = r["case"]
    return tokens, cases


@pytest.fixture(scope="module")
def corpus(neo4j_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    db = neo4j_settings.neo4j_database
    driver = get_driver(neo4j_settings)
    driver.execute_query("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n", database_=db)
    for agency in AGENCIES:
        driver.execute_query(cypher("agency_upsert"), id=agency, kind=agency.split("-")[1], region=agency[:2].upper(),
                             name=agency, default_sharing="shared", database_=db)
    home = tmp_path_factory.mktemp("home")
    for folder in sorted(p for p in (REPO / "examples").iterdir() if p.is_dir()):
        ingest(driver, db, [folder], folder.name, home)
    for agency in AGENCIES:  # each agency watches the thin fixture's suspect: its files then raise alerts
        add_watch(driver, db, Caller(f"{agency}-investigator", agency, "investigator"),
                  watch_spec("identifier", THIN_SUSPECT, agency), for_agency=True)
    for name, agency in [("cq-police-filing.txt", "cq-police"), ("sc-regulator-penalty.txt", "sc-regulator"),
                         ("sc-procuratorate-record.json", "sc-procuratorate")]:
        ingest(driver, db, [THIN / name], agency, home)
    detect(driver, db)  # the examples' ring across agencies
    keys = add_users(driver, db, AGENCIES, roles=("investigator", "analyst"))
    records, _, _ = driver.execute_query("MATCH (d:Document) RETURN d.key AS key, d.agency AS agency", database_=db)
    docs = {r["key"]: r["agency"] for r in records}
    tokens, doc_case = _tokens_of_documents(driver, db)
    records, _, _ = driver.execute_query(
        "MATCH (n) WHERE (n:Person OR n:Organization OR n:Phone OR n:Account OR n:Address) "
        "AND n.sources IS NOT NULL RETURN n.key AS key, n.sources AS sources, n.name AS name", database_=db)
    sources = {r["key"]: list(r["sources"]) for r in records}
    names = sorted({r["name"] for r in records if r["name"] and len(r["name"]) >= 2})
    app_settings = neo4j_settings.model_copy(update={"api_rate_per_s": 1e6, "api_rate_burst": 10**6})
    with TestClient(create_app(app_settings)) as client:
        yield Corpus(driver, db, client, keys, docs, doc_case, tokens, sources, names)


@dataclass(frozen=True)
class Sharing:
    level: str
    shared_with: tuple[str, ...]
    grant: str | None  # an agency holding a grant on the document
    grant_active: bool


def sharing_strategy() -> st.SearchStrategy[Sharing]:
    return st.builds(Sharing, st.sampled_from(["shared", "restricted", "sealed"]),
                     st.lists(st.sampled_from(AGENCIES), max_size=2, unique=True).map(tuple),
                     st.none() | st.sampled_from(AGENCIES), st.booleans())


def visible(doc: str, owner: str, s: Sharing, agency: str) -> bool:
    """DESIGN.md's sharing rule, evaluated in Python as the oracle."""
    return (owner == agency or s.level == "shared" or (s.level == "restricted" and agency in s.shared_with)
            or (s.grant == agency and s.grant_active))


def apply(corpus: Corpus, plan: dict[str, Sharing]) -> None:
    rows = [{"key": d, "level": s.level, "with": list(s.shared_with) if s.level == "restricted" else [],
             "grant": s.grant, "active": s.grant_active} for d, s in plan.items()]
    corpus.driver.execute_query("MATCH (g:AccessGrant) DETACH DELETE g", database_=corpus.database)
    corpus.driver.execute_query(
        "UNWIND $rows AS row MATCH (d:Document {key: row.key}) SET d.sharing = row.level, d.shared_with = row.with "
        "WITH d, row WHERE row.grant IS NOT NULL "
        "CREATE (g:AccessGrant {id: randomUUID(), agency: row.grant, "
        "  expires_at: CASE WHEN row.active THEN datetime() + duration('P1D') ELSE datetime() - duration('PT1M') END})"
        "-[:GRANTS]->(d)", rows=rows, database_=corpus.database)


def assert_no_leak(text: str, secrets: set[str], asked: str) -> None:
    leaked = [s for s in secrets if s in text and s not in asked]
    assert not leaked, f"leaked {leaked[:5]} in {text[:300]}"


def expected_answer(corpus: Corpus, plan: dict[str, Sharing], agency: str, key: str) -> tuple[str, dict[str, int]]:
    """("view" | "hit" | "none", holders) for an entity key."""
    sources = [d for d in corpus.sources.get(key, []) if d in corpus.docs]
    seen = [d for d in sources if visible(d, corpus.docs[d], plan[d], agency)]
    if seen:
        return "view", {}
    hidden = [d for d in sources if plan[d].level != "sealed"]
    if not hidden:
        return "none", {}
    cases: dict[str, set[str]] = defaultdict(set)
    for d in hidden:
        found = cases.setdefault(corpus.docs[d], set())  # documents without a case still make a holder
        if corpus.doc_case.get(d):
            found.add(str(corpus.doc_case[d]))
    return "hit", {a: len(c) for a, c in cases.items()}


def _typed_identifier(key: str) -> bool:
    """Whether typing the key's value into /v1/lookup leads back to this key."""
    try:
        return identifier_key(key.split(":", 1)[1])[1] == key
    except (InvalidInput, IndexError):
        return False


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])
@given(data=st.data())
def test_no_response_leaks_what_the_caller_may_not_see(corpus: Corpus, data: st.DataObject) -> None:
    plan = {d: data.draw(sharing_strategy(), label=f"sharing of {d[:12]}") for d in sorted(corpus.docs)}
    agency = data.draw(st.sampled_from(AGENCIES), label="caller agency")
    role = data.draw(st.sampled_from(["investigator", "analyst"]), label="role")
    apply(corpus, plan)
    seen_docs = {d for d in corpus.docs if visible(d, corpus.docs[d], plan[d], agency)}
    seen_tokens = set().union(*(corpus.tokens[d] for d in seen_docs)) if seen_docs else set()
    hidden_tokens = set().union(*(corpus.tokens[d] for d in corpus.docs if d not in seen_docs))
    # A hidden token that a visible one contains (a name inside a longer one) may appear through it.
    secrets = {t for t in hidden_tokens - seen_tokens
               if t and len(t) >= 2 and not any(t in s for s in seen_tokens)}
    headers = {"Authorization": f"Bearer {corpus.keys[(agency, role)]}"}
    entity_keys = data.draw(st.lists(st.sampled_from(sorted(corpus.sources)), min_size=6, max_size=10, unique=True),
                            label="entities asked for")
    for key in entity_keys:
        kind, holders = expected_answer(corpus, plan, agency, key)
        response = corpus.client.get(f"/v1/entities/{key}", params=PURPOSE, headers=headers)
        assert_no_leak(response.text, secrets, key)
        body = response.json()
        if kind == "none":
            assert response.status_code == 404, (key, body)
        elif kind == "hit":
            assert response.status_code == 200 and set(body) == {"hit", "visible", "holders", "access_request"}
            assert {h["agency"]: h["cases"] for h in body["holders"]} == holders
        else:
            assert response.status_code == 200 and body["visible"] is True, (key, body)
            if role == "investigator":
                expected_docs = {d for d in corpus.sources[key] if d in seen_docs}
                assert {d["key"] for d in body["documents"]} == expected_docs
        if _typed_identifier(key) and role == "investigator":
            lookup = corpus.client.get("/v1/lookup", params={"identifier": key.split(":", 1)[1], **PURPOSE},
                                       headers=headers)
            assert_no_leak(lookup.text, secrets, key)
            assert lookup.status_code == response.status_code and lookup.json() == body
        for depth in (1, 2):
            around = corpus.client.get(f"/v1/entities/{key}/neighbors", params={"depth": depth, **PURPOSE},
                                       headers=headers)
            assert_no_leak(around.text, secrets, key)
            assert around.status_code == response.status_code
            if kind == "view" and role == "investigator":
                for edge in around.json()["edges"]:
                    assert set(edge["sources"]) <= seen_docs
        if kind == "view":
            _walk_pages(corpus, headers, key, secrets, seen_docs if role == "investigator" else None, data)
    _check_workbench_reads(corpus, headers, entity_keys, secrets, seen_docs, role, data)
    names = data.draw(st.lists(st.sampled_from(corpus.names), min_size=1, max_size=4, unique=True), label="names")
    for name in names:
        found = corpus.client.get("/v1/search", params={"name": name, **PURPOSE}, headers=headers)
        assert found.status_code in (200, 404)
        assert_no_leak(found.text, secrets, name)
    requests = corpus.client.get("/v1/access-requests", headers=headers)
    assert requests.status_code == 200
    assert_no_leak(requests.text, secrets, "")
    _check_rings_and_alerts(corpus, headers, secrets, role)


def _check_rings_and_alerts(corpus: Corpus, headers: dict[str, str], secrets: set[str], role: str) -> None:
    """Rings (the list and each ring's members) and alerts hold nothing hidden; to an analyst they
    hold no identifier in full: a member's or an alert entity's key arrives as its handle."""
    full = {key.split(":", 1)[1] for key in corpus.sources if key.split(":", 1)[0] in ("ric", "acct", "uscc")}
    listed = corpus.client.get("/v1/rings", params=PURPOSE, headers=headers)
    assert listed.status_code == 200, listed.text
    texts = [listed.text]
    keys: list[str] = []
    for ring in listed.json()["rings"]:
        opened = corpus.client.get(f"/v1/rings/{ring['id']}", params=PURPOSE, headers=headers)
        assert opened.status_code == 200, opened.text
        texts.append(opened.text)
        keys += [m["key"] for m in opened.json()["members"]]
    alerts = corpus.client.get("/v1/alerts", params=PURPOSE, headers=headers)
    assert alerts.status_code == 200, alerts.text
    keys += [a["entity"]["key"] for a in alerts.json()["data"] if a.get("entity")]
    # every agency watches the thin suspect's number itself: an alert may name what its recipient asked for
    for text, asked in [*((t, "") for t in texts), (alerts.text, THIN_PERSON)]:
        assert_no_leak(text, secrets, asked)
        if role == "analyst":
            assert not [f for f in full if f in text], text[:300]
    if role == "analyst":  # a key that masking would shorten comes as a handle (a phone's stays as it is)
        assert all(HANDLE.fullmatch(k) or mask_text(k) == k for k in keys), keys


def _walk_pages(corpus: Corpus, headers: dict[str, str], key: str, secrets: set[str], seen_docs: set[str] | None,
                data: st.DataObject) -> None:
    """The neighbour route in small pages, with drawn filters: every page and every cursor's page
    holds nothing hidden, and its counts are what the pages then deliver."""
    rel_types = data.draw(st.none() | st.lists(st.sampled_from(["MENTIONED_IN", "USES", "HOLDS", "TRANSFERRED",
                                                                 "ROLE_IN", "POSSIBLY_SAME_AS"]), min_size=1,
                                                max_size=3, unique=True), label="rel_types")
    params: dict[str, object] = {"limit": 2, **PURPOSE, **({"rel_types": rel_types} if rel_types else {})}
    first = corpus.client.get(f"/v1/entities/{key}/neighbors", params=params, headers=headers)
    assert first.status_code == 200, first.text
    assert_no_leak(first.text, secrets, key)
    body = first.json()
    for more in body["more"]:
        delivered = sum(1 for e in body["edges"] if e["type"] == more["type"])
        cursor: str | None = more["next"]
        while cursor:
            page = corpus.client.get(f"/v1/entities/{key}/neighbors", params={"cursor": cursor, "limit": 2, **PURPOSE},
                                     headers=headers)
            assert page.status_code == 200, page.text
            assert_no_leak(page.text, secrets, key)
            answer = page.json()
            delivered += len(answer["edges"])
            if seen_docs is not None:
                assert all(set(e["sources"]) <= seen_docs for e in answer["edges"])
            cursor = answer["more"][0]["next"] if answer["more"] else None
        assert delivered == body["counts"][more["type"]]


def _check_workbench_reads(corpus: Corpus, headers: dict[str, str], entity_keys: list[str], secrets: set[str],
                           seen_docs: set[str], role: str, data: st.DataObject) -> None:
    """The routes the workbench added: documents (seen or not), paths between two of the drawn
    entities, fuzzy names."""
    documents = data.draw(st.lists(st.sampled_from(sorted(corpus.docs)), min_size=2, max_size=5, unique=True),
                          label="documents opened")
    for doc in documents:
        opened = corpus.client.get(f"/v1/documents/{doc}", params=PURPOSE, headers=headers)
        assert opened.status_code == (200 if doc in seen_docs else 404), (doc, opened.text[:200])
        if opened.status_code == 200:
            # its text is the document's own; beside it, nothing that only hidden documents state
            assert_no_leak(json.dumps({k: v for k, v in opened.json().items() if k != "text"}, ensure_ascii=False),
                           secrets, doc)
    for source, target in itertools.pairwise(entity_keys):
        paths = corpus.client.get("/v1/paths", params={"from": source, "to": target, **PURPOSE}, headers=headers)
        assert paths.status_code in (200, 404, 422), paths.text
        assert_no_leak(paths.text, secrets, source + target)
        if paths.status_code == 200 and role == "investigator":
            for path in paths.json().get("paths", []):
                assert all(set(e["sources"]) <= seen_docs for e in path["edges"])
    for name in data.draw(st.lists(st.sampled_from(corpus.names), min_size=1, max_size=3, unique=True),
                          label="fuzzy names"):
        found = corpus.client.get("/v1/names", params={"q": name, **PURPOSE}, headers=headers)
        assert found.status_code in (200, 404), found.text
        assert_no_leak(found.text, secrets, name)
