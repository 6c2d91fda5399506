"""The pure parts of issue 19: what a batch did to each entity, alert ids, watch targets, risk grades."""

from __future__ import annotations

import pytest

from casegraph.alerts.grading import GRADES, grade, load_rules, parse_rules
from casegraph.alerts.triggers import WatchHit, alert_rows, case_parties, touches
from casegraph.alerts.watches import watch_spec
from casegraph.errors import InvalidInput
from casegraph.graph.facts import DocumentFacts, NodeRow, RelRow, TransferRow


def _facts(doc: str, agency: str) -> DocumentFacts:
    facts = DocumentFacts(document={"key": doc, "agency": agency})
    facts.nodes += [NodeRow("Person", "ric:A"), NodeRow("Account", "acct:1"), NodeRow("Case", "case:x:1"),
                    NodeRow("Document", doc)]
    facts.rels += [RelRow("HOLDS", "Person", "ric:A", "Account", "acct:1"),
                   RelRow("OF_CASE", "Document", doc, "Case", "case:x:1")]
    facts.transfers.append(TransferRow("acct:1", "acct:2", "f1", 100.0, "2023-01-01"))
    return facts


def test_touches_fold_a_document_into_one_row_per_entity_with_its_events() -> None:
    rows = {(t.document, t.key): t for t in touches([_facts("doc:1", "sc-police")])}
    assert set(rows) == {("doc:1", k) for k in ("ric:A", "acct:1", "acct:2", "case:x:1")}  # no Document row
    assert rows[("doc:1", "ric:A")].events == ["named", "account"]
    assert rows[("doc:1", "acct:1")].events == ["named", "account", "transfer"]
    assert rows[("doc:1", "acct:2")].events == ["transfer"] and rows[("doc:1", "acct:2")].label == "Account"


def test_alerts_skip_the_watchers_own_documents_and_have_stable_ids() -> None:
    found = touches([_facts("doc:1", "sc-police"), _facts("doc:2", "cq-police")])
    hits = [WatchHit("ric:A", "wat-1", "cq-police", None), WatchHit("acct:9", "wat-2", "cq-police", "u")]
    rows = alert_rows(found, hits)
    assert list(rows) == ["Person"] and [r["document"] for r in rows["Person"]] == ["doc:1"]
    again = alert_rows(touches([_facts("doc:1", "sc-police")]), hits)
    assert again["Person"][0]["id"] == rows["Person"][0]["id"]
    # Letters only after the prefix: masking (digit runs) can never rewrite an id.
    assert not any(ch in "0189" for ch in rows["Person"][0]["id"][4:])


def test_case_parties_name_the_case_and_agency_scopes() -> None:
    [row] = case_parties([_facts("doc:1", "sc-police")])
    assert row["scopes"] == ["case:x:1", "agency:sc-police"] and row["keys"] == ["acct:1", "ric:A"]


def test_watch_targets_come_from_any_spelling() -> None:
    assert watch_spec("identifier", "+86 138-2345-6789", "a").target == "phone:13823456789"
    assert watch_spec("identifier", "500103 19850312 4515", "a").label == "Person"
    case = watch_spec("case", "case:cq-police:渝公（经）立字〔2023〕45号", "a")
    assert case.target == case.scope == "case:cq-police:渝公(经)立字(2023)45号"
    assert watch_spec("open_cases", None, "cq-police").scope == "agency:cq-police"
    spec = watch_spec("entity", "phone:13823456789", "a")
    assert spec.watch_id("a", None) != spec.watch_id("a", "u") == spec.watch_id("a", "u")
    for kind, value in [("identifier", "12345"), ("entity", "x"), ("case", "45号"), ("nope", "x"), ("entity", "")]:
        with pytest.raises(InvalidInput):
            watch_spec(kind, value, "a")


def test_grades_follow_the_rules_file_part_by_part() -> None:
    rules = load_rules()
    assert rules.version and [b for _, b in rules.bands] == list(GRADES)
    assert grade({})["grade"] == "低" and grade({})["points"] == 0
    big = grade({"money_moved": 6_000_000, "agencies": 3, "regions": 2, "typologies": 2, "prior_penalties": 1,
                 "open_cases": 4, "reviewed_rings": 1})
    assert big["grade"] == "重大"
    parts = {p["name"]: p for p in big["parts"]}
    assert parts["money_moved"] == {"name": "money_moved", "label": "资金往来金额", "value": 6_000_000.0,
                                    "points": 4, "step": 5_000_000.0}
    assert big["points"] == sum(p["points"] for p in big["parts"])
    middling = grade({"agencies": 2, "open_cases": 1})
    assert middling["grade"] == "中" and middling["points"] == 3


def test_rules_with_an_unknown_grade_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown grades"):
        parse_rules({"version": "x", "bands": {"低": 0, "极高": 5}, "parts": {}})
