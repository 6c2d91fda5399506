"""Ring detection on the real graph: projection within sharing, the job, write-back, eval."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

import casegraph.api.job_kinds  # noqa: F401  (registers "ring-detection")
from casegraph.api.app import create_app
from casegraph.detect.evaluation import evaluate, load_truth
from casegraph.detect.jobs import detect_on_graph, params_from_request, truth_aliases
from casegraph.detect.params import DetectionParams
from casegraph.errors import InvalidInput
from casegraph.graph import jobs
from casegraph.graph.connection import get_driver
from casegraph.graph.projection import ReadStats, from_neo4j
from casegraph.settings import Settings
from tests.access_helpers import add_users
from tests.graph_corpus import SEALED_AGENCY, TRUTH, ingest_corpus


@pytest.fixture(scope="module")
def corpus_graph(neo4j_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Driver]:
    drv = get_driver(neo4j_settings)
    ingest_corpus(drv, neo4j_settings.neo4j_database, tmp_path_factory.mktemp("home"))
    yield drv


def _sources_of(graph_edges: object) -> set[str]:
    return {s for _a, _b, sources in graph_edges for s in sources}  # type: ignore[attr-defined]


def test_projection_keeps_only_what_the_agency_may_see(corpus_graph: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    everything, stats = from_neo4j(corpus_graph, db, None), ReadStats()
    outsider = from_neo4j(corpus_graph, db, "cq-police", stats)
    owner = from_neo4j(corpus_graph, db, SEALED_AGENCY)
    assert stats.relationships == outsider.number_of_edges() > 0 and stats.nodes == outsider.number_of_nodes()
    sealed = {r["key"] for r in corpus_graph.execute_query(
        "MATCH (d:Document {agency: $a}) RETURN d.key AS key", a=SEALED_AGENCY, database_=db).records}
    assert sealed
    seen_by_outsider = _sources_of(outsider.edges(data="sources"))
    assert not seen_by_outsider & sealed
    assert not {s for _n, ss in outsider.nodes(data="sources") for s in ss} & sealed
    assert _sources_of(owner.edges(data="sources")) & sealed
    assert outsider.number_of_edges() < owner.number_of_edges() <= everything.number_of_edges()
    types = {t for _a, _b, t in everything.edges(data="type")}
    assert {"HOLDS", "TRANSFERRED"} <= types
    assert all(everything.nodes[b]["type"] == "Case" for _a, b, t in everything.edges(data="type") if t == "ROLE_IN")
    for _a, _b, data in everything.edges(data=True):
        if data["type"] == "TRANSFERRED":
            assert isinstance(data["at"], float) and isinstance(data["amount"], float)
    for _n, data in everything.nodes(data=True):
        assert data["type"] in {"Person", "Organization", "Account", "Phone", "Address", "Case"}
        assert data["agencies"], "every projected entity is mentioned by some agency's document"


def test_job_writes_the_run_and_its_rings(corpus_graph: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    job = jobs.create(corpus_graph, db, "ring-detection", {"threshold": 0.5}, agency=None, user="admin")
    assert jobs.run_job(neo4j_settings, job["id"]) == "succeeded", jobs.get(corpus_graph, db, job["id"])
    done = jobs.get(corpus_graph, db, job["id"])
    result = done["result"]
    assert done["progress"] == 1.0 and result["rings"] > 0 and result["projection"]["facts"] > 0
    records = corpus_graph.execute_query(
        "MATCH (run:DetectionRun {id: $run})-[:FOUND]->(r:Ring) OPTIONAL MATCH (r)-[h:HAS_MEMBER]->(m) "
        "RETURN run.threshold AS threshold, r.id AS id, r.score AS score, r.status AS status, "
        "r.score_parts AS parts, count(m) AS members, collect(h.why)[0] AS why, collect(h.sources)[0] AS sources",
        run=result["run"], database_=db).records
    assert len(records) == result["rings"]
    assert all(r["threshold"] == 0.5 and r["status"] == "new" and r["members"] >= 2 for r in records)
    assert all(r["id"].startswith(result["run"]) for r in records)
    some = records[0]
    assert isinstance(json.loads(some["parts"]), dict) and isinstance(json.loads(some["why"]), list)
    assert all(s.startswith("doc:") for s in some["sources"])


def test_bad_params_fail_the_job_with_the_reason(corpus_graph: Driver, neo4j_settings: Settings) -> None:
    with pytest.raises(InvalidInput):
        params_from_request({"thresh": 1})
    db = neo4j_settings.neo4j_database
    job = jobs.create(corpus_graph, db, "ring-detection", {"cycle_min_length": 9}, agency=None, user=None)
    assert jobs.run_job(neo4j_settings, job["id"]) == "failed"
    error = jobs.get(corpus_graph, db, job["id"])["error"]
    assert error["code"] == "invalid_parameters" and "cycle" in error["message"] and error["ref"]


def test_cancelled_job_ends_cancelled_without_a_run(corpus_graph: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    count_runs = "MATCH (r:DetectionRun) RETURN count(r) AS n"
    runs_before = corpus_graph.execute_query(count_runs, database_=db).records[0]["n"]
    job = jobs.create(corpus_graph, db, "ring-detection", {}, agency=None, user=None)
    jobs.cancel(corpus_graph, db, job["id"])
    assert jobs.run_job(neo4j_settings, job["id"]) == "cancelled"
    # Cancel while running: the first progress report inside the job notices it.
    job = jobs.create(corpus_graph, db, "ring-detection", {}, agency=None, user=None)
    context = jobs.JobContext(job["id"], corpus_graph, db, None, None)
    jobs.cancel(corpus_graph, db, job["id"])
    with pytest.raises(jobs.JobCancelled):
        detect_on_graph(corpus_graph, db, None, DetectionParams(), context)
    runs_after = corpus_graph.execute_query(count_runs, database_=db).records[0]["n"]
    assert runs_after == runs_before


def test_eval_on_the_graph_finds_the_planted_rings(corpus_graph: Driver, neo4j_settings: Settings,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """The whole path: files ingested per agency, projected from Neo4j, detected, compared to the truth."""
    db, params, truth = neo4j_settings.neo4j_database, DetectionParams(), load_truth(TRUTH)
    _graph, result, _stats = detect_on_graph(corpus_graph, db, None, params)
    aliases = truth_aliases(corpus_graph, db, truth, TRUTH.parent)
    # People named without an ID number are on mention nodes: the alignment is what lets them count.
    assert any(node.startswith("mention:") and key.startswith("ric:") for node, key in aliases.items())
    report = evaluate(truth, [r.as_json() for r in result.rings], params.score_threshold, accounts_only=False,
                      aliases=aliases)
    with capsys.disabled():
        print(f"\ngraph-based eval on corpus_small: recall {report.recall:.3f} precision {report.precision:.3f} "
              f"decoys {report.decoys_flagged} missed {report.missed}")
    assert report.planted == len(truth["rings"]) > 0 and report.reported == len(result.above_threshold())
    # All four, as on the ledgers alone (`casegraph eval rings --ledger`): an indictment's account-to-account
    # transfers are the statements' transfers (one identity), not a second copy of R004's gather and scatter.
    assert report.recall == 1.0 and report.precision >= 0.8, report.as_json()
    assert report.decoys_in_scope > 0 and not report.decoys_flagged
    # Accounts are reported by number, the way `detect rings` prints them.
    members = [m for ring in result.above_threshold() for m in ring.members if m.type == "Account"]
    assert members and not any(m.key.startswith("acct:") for m in members)


def _wait(client: TestClient, url: str, who: dict[str, str], timeout_s: float = 600) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        job = client.get(url, headers=who).json()
        if job["status"] in ("succeeded", "failed", "cancelled") or time.monotonic() > deadline:
            return dict(job)
        time.sleep(0.5)


def _assert_figures_follow_the_caller(driver: Driver, database: str, mine: list[dict[str, Any]],
                                      theirs: list[dict[str, Any]]) -> None:
    """The owner of the sealed files sees everything: its figures are the run's. The outsider's are
    computed without the sealed members and edges: no sealed agency, case or amount in them."""
    stored = {r["id"]: r for r in (rec.data() for rec in driver.execute_query(
        "MATCH (r:Ring) RETURN r.id AS id, r.score AS score, r.score_parts AS parts, r.regions AS regions, "
        "r.agencies AS agencies, r.cases AS cases, r.total_amount AS amount, r.typologies AS typologies",
        database_=database).records)}
    for ring in mine:
        run = stored[ring["id"]]
        assert (ring["score"], ring["score_parts"], ring["typologies"], ring["regions"], ring["agencies"],
                ring["cases"]) == (run["score"], json.loads(run["parts"]), run["typologies"], run["regions"],
                                   run["agencies"], run["cases"])
        assert ring["total_amount"] == pytest.approx(run["amount"], abs=0.01)
    open_cases = {r["c"] for r in driver.execute_query(
        "MATCH (d:Document)-[:OF_CASE]->(c:Case) WHERE d.agency <> $sealed RETURN DISTINCT c.key AS c",
        sealed=SEALED_AGENCY, database_=database).records}
    open_amounts = {r["id"]: r["amount"] for r in driver.execute_query(
        "MATCH (r:Ring) OPTIONAL MATCH (r)-[e:EVIDENCE]->() WHERE any(s IN e.sources WHERE EXISTS { "
        "MATCH (d:Document {key: s}) WHERE d.agency <> $sealed }) RETURN r.id AS id, sum(e.amount) AS amount",
        sealed=SEALED_AGENCY, database_=database).records}
    owners = {r["id"]: r for r in mine}
    for ring in theirs:
        assert SEALED_AGENCY not in ring["agencies"] and set(ring["cases"]) <= open_cases
        assert ring["total_amount"] == pytest.approx(open_amounts[ring["id"]], abs=0.01)
        assert sum(ring["score_parts"].values()) == pytest.approx(ring["score"], abs=1e-3)
    assert any(SEALED_AGENCY in r["agencies"] for r in mine)
    assert any(ring["total_amount"] < owners[ring["id"]]["total_amount"] for ring in theirs)
    assert any(ring["score_parts"] != owners[ring["id"]]["score_parts"] for ring in theirs)


def test_rings_api_job_listing_sharing_and_review(corpus_graph: Driver, neo4j_settings: Settings) -> None:
    keys = add_users(corpus_graph, neo4j_settings.neo4j_database, [SEALED_AGENCY, "cq-police", "cq-regulator"],
                     roles=("analyst", "investigator"))
    keys.update(add_users(corpus_graph, neo4j_settings.neo4j_database, [SEALED_AGENCY], roles=("admin",)))
    owner = {"Authorization": f"Bearer {keys[(SEALED_AGENCY, 'analyst')]}"}
    outsider = {"Authorization": f"Bearer {keys[('cq-police', 'investigator')]}"}
    other_analyst = {"Authorization": f"Bearer {keys[('cq-regulator', 'analyst')]}"}
    with TestClient(create_app(neo4j_settings)) as client:
        assert client.post("/v1/jobs/ring-detection", headers=outsider).status_code == 403
        assert client.post("/v1/jobs/ring-detection", headers=owner, json={"thresh": 1}).status_code == 422
        started = client.post("/v1/jobs/ring-detection", headers=owner, json={"threshold": 0.5})
        assert started.status_code == 202, started.text
        job = _wait(client, started.json()["status_url"], owner)
        assert job["status"] == "succeeded", job
        assert client.get(started.json()["status_url"], headers=other_analyst).status_code == 404

        mine = client.get("/v1/rings", params={"limit": 500}, headers=owner).json()
        theirs = client.get("/v1/rings", params={"limit": 500}, headers=outsider).json()
        assert mine["run"] == job["result"]["run"] and mine["rings"]
        scores = [r["score"] for r in mine["rings"]]
        assert scores == sorted(scores, reverse=True)
        assert sum(r["visible_members"] for r in theirs["rings"]) < sum(r["visible_members"] for r in mine["rings"])
        assert len(client.get("/v1/rings", params={"limit": 1}, headers=owner).json()["rings"]) == 1
        high = client.get("/v1/rings", params={"min_score": 0.9}, headers=owner).json()["rings"]
        assert all(r["score"] >= 0.9 for r in high)
        if high and high[0]["typologies"]:
            typology = high[0]["typologies"][0]
            assert all(typology in r["typologies"]
                       for r in client.get("/v1/rings", params={"typology": typology}, headers=owner).json()["rings"])

        _assert_figures_follow_the_caller(corpus_graph, neo4j_settings.neo4j_database, mine["rings"], theirs["rings"])
        top = mine["rings"][0]
        detail = client.get(f"/v1/rings/{top['id']}", headers=owner).json()
        assert len(detail["members"]) == top["visible_members"] >= 2
        assert all(m["sources"] and all(s.startswith("doc:") for s in m["sources"]) for m in detail["members"])
        assert any(reason.get("typology") for m in detail["members"] for reason in m["why"])
        assert all(m["parts"] == sorted({r["typology"] for r in m["why"] if "typology" in r})
                   for m in detail["members"]) and any(m["parts"] for m in detail["members"])
        sealed_docs = {r["key"] for r in corpus_graph.execute_query(
            "MATCH (d:Document {agency: $a}) RETURN d.key AS key", a=SEALED_AGENCY,
            database_=neo4j_settings.neo4j_database).records}
        seen_by_them = client.get(f"/v1/rings/{theirs['rings'][0]['id']}", headers=outsider).json()
        assert {k: seen_by_them[k] for k in ("score", "score_parts", "agencies", "cases", "total_amount")} == \
            {k: theirs["rings"][0][k] for k in ("score", "score_parts", "agencies", "cases", "total_amount")}
        assert len(seen_by_them["members"]) == theirs["rings"][0]["visible_members"]
        assert not {s for m in seen_by_them["members"] for s in m["sources"]} & sealed_docs
        assert not {s for m in seen_by_them["members"] for r in m["why"] for s in r.get("sources", ())} & sealed_docs
        sealed_only = [r for r in mine["rings"] if r["id"] not in {t["id"] for t in theirs["rings"]}]
        for ring in sealed_only[:1]:
            assert client.get(f"/v1/rings/{ring['id']}", headers=outsider).status_code == 404

        assert client.post(f"/v1/rings/{top['id']}/review", headers=outsider,
                           json={"status": "confirmed"}).status_code == 403
        assert client.post(f"/v1/rings/{top['id']}/review", headers=owner,
                           json={"status": "maybe"}).status_code == 422
        reviewed = client.post(f"/v1/rings/{top['id']}/review", headers=owner,
                               json={"status": "dismissed", "note": "family business"})
        assert reviewed.status_code == 200 and reviewed.json()["status"] == "dismissed"
        after = client.get(f"/v1/rings/{top['id']}", headers=owner).json()
        assert after["status"] == "dismissed" and after["note"] == "family business"
        assert after["reviewed_by"] == f"{SEALED_AGENCY}-analyst"
        admin = {"Authorization": f"Bearer {keys[(SEALED_AGENCY, 'admin')]}"}
        log = client.get("/v1/audit", params={"action": "ring_review"}, headers=admin).json()["data"]
        on_top = [e for e in log if e["params"].get("path.ring_id") == top["id"]]
        assert [(e["params"]["body.ring"], e["params"]["body.status"], e["params"]["body.note"], e["returned"],
                 e["user"]) for e in on_top if e["status"] == 200] == \
            [(top["id"], "dismissed", "family business", [top["id"]], f"{SEALED_AGENCY}-analyst")]
        assert [e["status"] for e in on_top if e["status"] != 200] == [422]  # the refused "maybe" too

        queued = client.post("/v1/jobs/ring-detection", headers=owner).json()
        assert client.post(f"/v1/jobs/{queued['id']}/cancel", headers=owner).status_code == 200
        assert _wait(client, queued["status_url"], owner)["status"] == "cancelled"


def _stored_rings(driver: Driver, database: str, run: str) -> dict[str, tuple[float, list[str], list[str]]]:
    records = driver.execute_query(
        "MATCH (:DetectionRun {id: $run})-[:FOUND]->(r:Ring) OPTIONAL MATCH (r)-[:HAS_MEMBER]->(m) "
        "RETURN r.signature AS signature, r.score AS score, r.typologies AS typologies, collect(m.key) AS members",
        run=run, database_=database).records
    return {r["signature"]: (r["score"], r["typologies"], sorted(r["members"])) for r in records}


def test_spark_job_writes_the_same_rings_as_networkx(corpus_graph: Driver, neo4j_settings: Settings) -> None:
    """engine=spark in the job's params: the graph read from Neo4j, detected through Spark, written back
    by the same code; the stored rings equal the networkx job's (members, typologies, scores)."""
    with pytest.raises(InvalidInput):
        params_from_request({"engine": "dask"})
    db = neo4j_settings.neo4j_database
    runs = {}
    for engine in ("networkx", "spark"):
        job = jobs.create(corpus_graph, db, "ring-detection", {"engine": engine}, agency=None, user="admin")
        assert jobs.run_job(neo4j_settings, job["id"]) == "succeeded", jobs.get(corpus_graph, db, job["id"])
        runs[engine] = jobs.get(corpus_graph, db, job["id"])["result"]
    assert "spark" in runs["spark"]["timings"] and "spark" not in runs["networkx"]["timings"]
    expected = _stored_rings(corpus_graph, db, runs["networkx"]["run"])
    got = _stored_rings(corpus_graph, db, runs["spark"]["run"])
    assert expected and sorted(expected) == sorted(got)
    for signature, (score, typologies, members) in expected.items():
        assert got[signature][1:] == (typologies, members)
        assert got[signature][0] == pytest.approx(score, abs=1e-9)


def test_id_ranges_cover_every_id_once() -> None:
    from casegraph.detect.spark.neo4j_frames import TransferSpan, id_ranges

    for low, high, per_task in ((5, 17, 4), (0, 0, 10), (3, 12, 1), (7, 26, 20)):
        ranges = id_ranges(TransferSpan(low, high, high - low + 1), per_task)
        ids = [i for first, end in ranges for i in range(first, end)]
        assert ids == list(range(low, high + 1)), (low, high, per_task)
        assert all(end - first <= per_task for first, end in ranges)
    assert id_ranges(TransferSpan(0, -1, 0)) == []


def test_spark_tasks_read_every_visible_transfer_once(corpus_graph: Driver, neo4j_settings: Settings) -> None:
    """Partitioned reads, a few ids per task: together exactly the transfers one read sees, per agency."""
    from casegraph.detect.spark.neo4j_frames import Neo4jSource, transfer_span, transfers_from_neo4j
    from casegraph.detect.spark.session import spark_session

    db = neo4j_settings.neo4j_database
    span = transfer_span(corpus_graph, db)
    assert span.transfers > 10
    with spark_session("local[2]") as spark:
        for agency in (None, "cq-police"):
            whole = from_neo4j(corpus_graph, db, agency)
            want = sorted((a, b, d["amount"], d["at"], d["tx_id"], tuple(d["sources"]))
                          for a, b, d in whole.edges(data=True) if d["type"] == "TRANSFERRED")
            source = Neo4jSource(neo4j_settings.uri, neo4j_settings.neo4j_user, neo4j_settings.neo4j_password or "",
                                 db, agency)
            per_task = max(1, (span.high - span.low) // 7)  # several tasks, ranges of a few ids
            rows = transfers_from_neo4j(spark, source, span, list(whole.nodes), per_task).collect()
            got = sorted((r["src"], r["dst"], r["amount"], r["at"], r["tx_id"], tuple(r["sources"])) for r in rows)
            assert got == want, agency
            assert len({r["order"]["line"] for r in rows}) == len(rows)  # each transfer once


def test_openapi_declares_the_engine_of_a_ring_detection_job(neo4j_settings: Settings) -> None:
    from casegraph.api.app import create_app

    operation = create_app(neo4j_settings).openapi()["paths"]["/v1/jobs/ring-detection"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"]["engine"]["enum"] == ["networkx", "spark", "auto"]
