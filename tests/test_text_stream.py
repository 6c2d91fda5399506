"""Long texts streamed into a real Neo4j piece by piece (issue 22), at a small scale: a text forced over a
small piece size is written as parts of a PendingDocument and published whole; its mentions stand at
their offsets in the file, the last paragraph's too; a run stopped midway leaves nothing visible and
its re-run equals an uninterrupted one; a text refused past its head writes nothing."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver

from casegraph.errors import UnreadableFile
from casegraph.graph.facts import AgencyRef, DocumentFacts
from casegraph.graph.writer import write_pending_parts
from casegraph.ingest.extract import extract_text
from casegraph.ingest.pieces import pieces, stream_pieces
from casegraph.ingest.readers.ledger_stream import HEAD
from casegraph.ingest.readers.text_stream import open_text
from casegraph.ingest.resolution.document import document_key
from casegraph.ingest.run import ingest
from casegraph.ingest.text_ingest import TextParts, ingest_text
from casegraph.settings import Settings
from tests.resolution_helpers import count, dump, register_agencies

POLICE = AgencyRef("cq-police", "CQ", "police")
OPENING = "重庆市公安局江北区分局\n立案决定书\n渝公（经）立字〔2023〕45号\n"
PARAGRAPH = ("2023年5月，犯罪嫌疑人张伟（男，身份证号码500103198503124515）通过其名下中国工商银行账户"
             "6222020200112233446向李娜转账人民币50000元。\n")
LAST = "经查，王强（身份证号码510104197602290087）使用手机13823456789与张伟联系。\n"
REPEATS = 60
PIECE = 2_000  # characters: the text is cut into three pieces


def _mentions(driver: Driver, database: str, key: str) -> list[tuple[int, int, str, str]]:
    records, _, _ = driver.execute_query(
        "MATCH (e)-[m:MENTIONED_IN]->(d:Document {key: $key}) RETURN m.start AS s, m.end AS e, m.text AS t, e.key AS k",
        key=key, database_=database)
    return sorted((r["s"], r["e"], r["t"], r["k"]) for r in records)


@pytest.fixture()
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "long.txt"
    path.write_text(OPENING + PARAGRAPH * REPEATS + LAST, encoding="utf-8")
    return path


def test_the_stream_cuts_the_pieces_the_whole_text_would_be_cut_into() -> None:
    text = (OPENING + PARAGRAPH * 30 + "无换行的长句" * 400 + LAST) * 2
    for block in (7, 500, 4096):
        blocks = (text[i:i + block] for i in range(0, len(text), block))
        assert [(o, t) for o, t in stream_pieces(blocks, 1000)] == [(a, text[a:b]) for a, b in pieces(text, 1000)]


def test_a_streamed_text_is_published_whole_with_every_mention_at_its_offset(
        driver: Driver, neo4j_settings: Settings, text_file: Path) -> None:
    db = neo4j_settings.neo4j_database
    register_agencies(driver, db)
    text = text_file.read_text(encoding="utf-8")
    stats, parts = ingest_text(driver, db, text_file, POLICE, "shared", [], [], piece_chars=PIECE)
    key = document_key(parts.stream.sha256)
    assert stats.documents == 1 and count(driver, db, "MATCH (d:PendingDocument) RETURN count(d)") == 0
    mentions = _mentions(driver, db, key)
    assert all(text[start:end] == quoted for start, end, quoted, _ in mentions)
    last_start = len(text) - len(LAST)
    assert {t for s, _, t, _ in mentions if s >= last_start} >= {"王强", "510104197602290087", "13823456789"}
    assert sum(t == "500103198503124515" for _, _, t, _ in mentions) == REPEATS  # none lost or doubled at a cut
    # the same mentions as the text extracted whole (one piece), at the same offsets
    whole = extract_text(text)
    node_types = {"PERSON", "ID_NUMBER", "BANK_ACCOUNT", "PHONE", "ORG", "CASE_NUMBER"}
    assert {(s, e) for s, e, *_ in mentions} == {(m.start, m.end) for m in whole.entities if m.type in node_types}
    # the own case number stated in the first piece is the document's in every piece
    case = count(driver, db, "MATCH (:Document {key: $key})-[:OF_CASE]->(c:Case) RETURN count(c)", key=key)
    assert case == 1


def test_a_stream_stopped_midway_shows_nothing_and_its_rerun_equals_a_whole_run(
        driver: Driver, neo4j_settings: Settings, text_file: Path) -> None:
    db = neo4j_settings.neo4j_database
    register_agencies(driver, db)
    ingest_text(driver, db, text_file, POLICE, "shared", [], [], piece_chars=PIECE)
    clean = dump(driver, db)
    mentions = count(driver, db, "MATCH ()-[m:MENTIONED_IN]->() RETURN count(m)")
    driver.execute_query("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n", database_=db)
    register_agencies(driver, db)

    parts = TextParts(open_text(text_file), POLICE, "shared", [], PIECE)
    key = document_key(parts.stream.sha256)

    def stopped() -> Iterator[DocumentFacts]:
        yield from itertools.islice(parts, 2)
        raise KeyboardInterrupt  # as a Ctrl-C between two parts

    with pytest.raises(KeyboardInterrupt):
        write_pending_parts(driver, db, key, stopped())
    assert count(driver, db, "MATCH (d:PendingDocument {key: $key}) RETURN count(d)", key=key) == 1
    assert count(driver, db, "MATCH (d:Document) RETURN count(d)") == 0  # what readers match
    ingest_text(driver, db, text_file, POLICE, "shared", [], [], piece_chars=PIECE)
    assert dump(driver, db) == clean
    assert count(driver, db, "MATCH ()-[m:MENTIONED_IN]->() RETURN count(m)") == mentions


def test_ingest_streams_long_texts_and_quarantines_one_refused_past_its_head(
        driver: Driver, neo4j_settings: Settings, text_file: Path, tmp_path: Path, home: Path) -> None:
    db = neo4j_settings.neo4j_database
    register_agencies(driver, db)
    bad = tmp_path / "bad.txt"
    bad.write_bytes((PARAGRAPH * (2 * HEAD // len(PARAGRAPH.encode()))).encode() + b"\xff\xfe bad bytes\n")
    with pytest.raises(UnreadableFile, match="wrong encoding: not valid utf-8 at byte"):
        open_text(bad)
    report = ingest(driver, db, [text_file, bad], "cq-police", home, stream_bytes=1_000, link=False)
    assert report.ingested == 1 and [q.path for q in report.quarantined] == [str(bad)]
    assert "wrong encoding" in report.quarantined[0].reason
    assert report.entities > REPEATS * 4 and count(driver, db, "MATCH (d:Document) RETURN count(d)") == 1
