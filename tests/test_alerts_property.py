"""Property (issue 19): over random watch sets, sharing settings and ingests through the real writer,
no alert reveals anything of a document its recipient's agency may not see (a sealed one not even as
a hit), every alert reaches only the watcher's agency (and user), and each watched fact of another
agency that is not sealed from it raises exactly one alert."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j import Driver

from casegraph.access import Caller
from casegraph.alerts.watches import watch_spec
from casegraph.graph import alert_store
from casegraph.graph.facts import DocumentFacts, NodeRow, RelRow
from casegraph.graph.writer import write_documents
from casegraph.settings import Settings

AGENCIES = ("cq-police", "sc-regulator", "sc-procuratorate")
USERS = ("u0", "u1")
PHONES = tuple(f"1380013800{i}" for i in range(4))

documents = st.lists(st.tuples(
    st.integers(0, 2),                                          # owner agency
    st.sampled_from(["shared", "restricted", "sealed"]),
    st.sets(st.integers(0, 2), max_size=2),                     # restricted: shared with
    st.sets(st.integers(0, 3), min_size=1, max_size=3),         # phones it names
), min_size=1, max_size=5)
watches = st.lists(st.tuples(st.integers(0, 2), st.sampled_from([None, *USERS]), st.integers(0, 3)),
                   min_size=1, max_size=6)


def _document(i: int, agency: str, sharing: str, shared_with: list[str], phones: set[int]) -> DocumentFacts:
    key = f"doc:{i:064d}"
    facts = DocumentFacts(document={"key": key, "agency": agency, "sharing": sharing, "shared_with": shared_with,
                                    "filename": f"secret-file-{i}.txt", "kind": "police_filing", "path": f"/x/{i}"})
    case = f"case:{agency}:秘字(2023){i}号"
    facts.nodes.append(NodeRow("Case", case, {"number": f"秘字(2023){i}号", "agency": agency}))
    facts.rels.append(RelRow("OF_CASE", "Document", key, "Case", case))
    for p in sorted(phones):
        phone = f"phone:{PHONES[p]}"
        facts.nodes.append(NodeRow("Phone", phone, {"number": PHONES[p]}))
        facts.rels.append(RelRow("MENTIONED_IN", "Phone", phone, "Document", key, "1", {"start": 0, "end": 11}))
    return facts


def _visible(doc: dict[str, object], agency: str) -> bool:
    shared_with = doc["shared_with"]
    assert isinstance(shared_with, list)
    return doc["agency"] == agency or doc["sharing"] == "shared" or (doc["sharing"] == "restricted"
                                                                     and agency in shared_with)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(docs=documents, watch_set=watches, one_batch=st.booleans())
def test_no_alert_reveals_what_its_recipient_may_not_see(driver: Driver, neo4j_settings: Settings, docs: list[
        tuple[int, str, set[int], set[int]]], watch_set: list[tuple[int, str | None, int]], one_batch: bool) -> None:
    db = neo4j_settings.neo4j_database
    driver.execute_query("MATCH (n) WHERE NOT n:SchemaMigration AND NOT n:AuditEvent DETACH DELETE n", database_=db)
    made = {}
    for a, user, p in watch_set:
        caller = Caller(user=user or "someone", agency=AGENCIES[a], role="investigator")
        watch = alert_store.add_watch(driver, db, caller, watch_spec("identifier", PHONES[p], caller.agency),
                                      for_agency=user is None)
        made[watch["id"]] = (AGENCIES[a], user, f"phone:{PHONES[p]}")
    batch = [_document(i, AGENCIES[a], sharing, [AGENCIES[s] for s in sorted(shared)], phones)
             for i, (a, sharing, shared, phones) in enumerate(docs)]
    for part in ([batch] if one_batch else [[facts] for facts in batch]):
        write_documents(driver, db, part)
    by_key = {facts.key: facts for facts in batch}
    for agency in AGENCIES:
        for user in USERS:
            alerts = alert_store.list_alerts(driver, db, Caller(user=user, agency=agency, role="investigator"),
                                             limit=500)
            expected = {(w, facts.key) for w, (w_agency, w_user, entity) in made.items()
                        if w_agency == agency and w_user in (None, user) for facts in batch
                        if facts.document["agency"] != agency and any(n.key == entity for n in facts.nodes)
                        # sealed from the recipient: owner only, not even a hit
                        and (facts.document["sharing"] != "sealed" or _visible(facts.document, agency))}
            got = set()
            for alert in alerts:
                assert alert["watch"] in made and made[alert["watch"]][0] == agency  # only to the watcher's agency
                assert made[alert["watch"]][1] in (None, user)                      # and user
                # The watcher's own cases are its own to see; everything else must come from visible documents.
                own = {f"case:{agency}:秘字(2023){k[4:].lstrip('0') or '0'}号" for k, f in by_key.items()
                       if f.document["agency"] == agency}
                assert set(alert["own_cases"]) <= own
                text = json.dumps({k: v for k, v in alert.items() if k != "own_cases"}, ensure_ascii=False)
                docs_named = [k for k in by_key if k in text]
                if alert["visible"]:
                    [doc_key] = docs_named
                    assert _visible(by_key[doc_key].document, agency)
                    got.add((alert["watch"], doc_key))
                    continue
                assert docs_named == [], alert
                assert "secret-file" not in text and "秘字" not in text, alert
                assert "document" not in alert and "cases" not in alert
                [holder] = alert["holders"]
                hidden = [f for f in batch if f.document["agency"] == holder["agency"]
                          and not _visible(f.document, agency) and f.document["sharing"] != "sealed"
                          and any(n.key == alert["entity"]["key"] for n in f.nodes)]
                assert hidden and holder["cases"] == 1
                got.add((alert["watch"], "hidden"))
            assert {g for g in got if g[1] != "hidden"} == {e for e in expected
                                                           if _visible(by_key[e[1]].document, agency)}
            assert len(alerts) == len(expected)
