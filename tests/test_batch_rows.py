"""The writer's fold of a batch into parameter rows (pure, no database): one row per key, ordered
unions, later documents' properties win, only mentions of new documents are created directly."""

from __future__ import annotations

from casegraph.graph.batch_rows import batch_rows
from casegraph.graph.facts import DocumentFacts, NodeRow, RelRow, TransferRow


def _doc(key: str) -> DocumentFacts:
    return DocumentFacts({"key": key, "sha256": key[4:], "agency": "cq-police", "path": f"/{key}.txt"})


def _two_documents() -> tuple[DocumentFacts, DocumentFacts]:
    first, second = _doc("doc:a"), _doc("doc:b")
    first.nodes.append(NodeRow("Person", "ric:1", {"name": "张伟", "gender": None}, ["CQ"], ["张伟"], ["ric"]))
    second.nodes.append(NodeRow("Person", "ric:1", {"name": "张伟伟", "gender": "M"}, ["SC", "CQ"], ["张三"], ["ric"]))
    for facts in (first, second):
        facts.rels.append(RelRow("MENTIONED_IN", "Person", "ric:1", "Document", facts.key, "3", {"start": 3, "end": 5}))
        facts.rels.append(RelRow("ROLE_IN", "Person", "ric:1", "Case", "case:x", "suspect", {"role": "suspect"}))
    return first, second


def test_a_key_seen_in_two_documents_is_one_row_with_unions() -> None:
    rows = batch_rows(_two_documents(), fresh_documents={"doc:a", "doc:b"})
    [person] = rows.nodes["Person"]
    assert person["props"] == {"name": "张伟伟", "gender": "M"}  # the later document wins, nulls never
    assert person["regions"] == ["CQ", "SC"] and person["aliases"] == ["张伟", "张三"]
    assert person["merged_on"] == ["ric"] and person["sources"] == ["doc:a", "doc:b"]
    assert person["pending"] is True
    [role] = rows.rels[("ROLE_IN", "Person", "Case")]
    assert role["sources"] == ["doc:a", "doc:b"] and role["props"] == {"role": "suspect"}
    assert rows.mentions == 2


def test_empty_alias_and_reason_lists_are_sent_as_null() -> None:
    facts = _doc("doc:c")
    facts.nodes.append(NodeRow("Phone", "phone:1", {}, ["CQ"]))
    [phone] = batch_rows([facts], fresh_documents={"doc:c"}).nodes["Phone"]
    assert (phone["aliases"], phone["merged_on"], phone["regions"]) == (None, None, ["CQ"])


def test_only_mentions_of_new_documents_are_created_directly() -> None:
    rows = batch_rows(_two_documents(), fresh_documents={"doc:b"})
    [person] = rows.nodes["Person"]
    # A created mention carries no `sources`: its source is the document it points at.
    assert [(m["doc"], m["fid"], "sources" in m) for m in person["mentions"]] == [("doc:b", "3", False)]
    [merged] = rows.rels[("MENTIONED_IN", "Person", "Document")]
    assert merged["to"] == "doc:a" and merged["sources"] is None  # merged, it gains none either


def test_a_mention_with_an_unnamed_property_is_merged_not_created() -> None:
    facts = _doc("doc:c")
    facts.nodes.append(NodeRow("Phone", "phone:13800000000"))
    facts.rels.append(RelRow("MENTIONED_IN", "Phone", "phone:13800000000", "Document", "doc:c", "9", {"colour": "red"}))
    rows = batch_rows([facts], fresh_documents={"doc:c"})
    assert rows.nodes["Phone"][0]["mentions"] == []
    assert rows.rels[("MENTIONED_IN", "Phone", "Document")][0]["props"] == {"colour": "red"}


def test_one_transfer_in_two_ledgers_of_a_batch_is_one_row_with_both_sources() -> None:
    ledgers = [_doc("doc:l1"), _doc("doc:l2")]
    for facts, amount in zip(ledgers, (10.0, 99.0), strict=True):
        facts.transfers.append(TransferRow("acct:1", "acct:2", "serial-7", amount, "2023-01-01T00:00:00", "serial-7"))
    rows = batch_rows(ledgers, fresh_documents={"doc:l1", "doc:l2"})
    [transfer] = rows.transfers
    assert transfer["sources"] == ["doc:l1", "doc:l2"]
    assert transfer["amount"] == 10.0  # the first statement's figures, as ON CREATE SET kept them


def test_sources_stay_an_ordered_set_when_a_document_repeats_a_key_or_recurs_in_the_batch() -> None:
    first, second = _two_documents()
    first.nodes.append(NodeRow("Person", "ric:1", {"name": "张伟"}, ["CQ"]))  # stated twice in one document
    [person] = batch_rows([first, second], fresh_documents=set()).nodes["Person"]
    assert person["sources"] == ["doc:a", "doc:b"]
    again = _doc("doc:a")  # the same document key twice, not side by side: the slower, general union
    again.nodes.append(NodeRow("Person", "ric:1", {"name": "张伟"}, ["CQ"]))
    [person] = batch_rows([first, second, again], fresh_documents=set()).nodes["Person"]
    assert person["sources"] == ["doc:a", "doc:b"]
