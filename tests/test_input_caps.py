"""Bounded input (issue 22): a file over a cap is refused with a reason naming the cap and the
setting that raises it, before it can cost the process its memory; in a batch it is quarantined
and the other files are ingested."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import openpyxl
import pytest
from neo4j import Driver
from pypdf import PdfWriter

from casegraph.errors import UnreadableFile
from casegraph.ingest.readers import IngestLimits, read_file
from casegraph.ingest.run import ingest
from casegraph.settings import Settings
from tests.test_thin_path import THIN, register_agencies

SMALL = IngestLimits(file_bytes=200_000, ledger_rows=10, zip_bytes=5_000_000, zip_entries=50, pdf_pages=3)


def zip_bomb_docx(path: Path, expanded_mb: int = 64) -> Path:
    """A .docx whose document part expands from well under a megabyte to `expanded_mb` MB of zeros."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            zeros = b"0" * (1 << 20)
            for _ in range(expanded_mb):
                part.write(zeros)
    return path


def ledger_csv(path: Path, rows: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i in range(rows):
            writer.writerow(row(i))
    return path


# A bank's statement layout (交易日期 … 收付标志), as the ledgers in tests/fixtures write it.
HEADER = ["交易日期", "交易时间", "交易账号", "交易户名", "对方账号", "对方户名", "交易金额", "借贷标志"]


def row(i: int) -> list[object]:
    return [f"2023-05-{1 + i % 28:02d}", "10:00:00", "6222020200112233446", "张伟", "6217003810012345678", "李娜",
            f"{100 + i}.00", "借"]


def refused(path: Path, limits: IngestLimits = SMALL) -> str:
    with pytest.raises(UnreadableFile) as caught:
        read_file(path, limits=limits)
    return caught.value.reason


def test_a_zip_bomb_docx_is_refused_before_it_expands(tmp_path: Path) -> None:
    bomb = zip_bomb_docx(tmp_path / "bomb.docx", expanded_mb=800)  # over the default cap, 768 MiB
    assert bomb.stat().st_size < 2_000_000
    reason = refused(bomb, IngestLimits())  # the default caps
    assert "uncompressed" in reason and "CASEGRAPH_INGEST_MAX_ZIP_BYTES" in reason
    many = tmp_path / "many.docx"
    with zipfile.ZipFile(many, "w") as archive:
        for i in range(60):
            archive.writestr(f"part{i}.xml", "<x/>")
    assert "entries" in refused(many) and "CASEGRAPH_INGEST_MAX_ZIP_ENTRIES" in refused(many)


def test_ledgers_over_the_row_cap_and_files_over_the_byte_cap(tmp_path: Path) -> None:
    assert len(read_file(ledger_csv(tmp_path / "ok.csv", 10), limits=SMALL).transactions) == 10
    reason = refused(ledger_csv(tmp_path / "long.csv", 11))
    assert "rows" in reason and "CASEGRAPH_INGEST_MAX_LEDGER_ROWS" in reason
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    for i in range(30):
        sheet.append(row(i))
    workbook.save(tmp_path / "long.xlsx")
    assert "CASEGRAPH_INGEST_MAX_LEDGER_ROWS" in refused(tmp_path / "long.xlsx")
    big = tmp_path / "big.txt"
    big.write_text("经查，" * 100_000, encoding="utf-8")
    reason = refused(big)
    assert "bytes per file" in reason and "CASEGRAPH_INGEST_MAX_FILE_BYTES" in reason


def test_a_pdf_over_the_page_cap(tmp_path: Path) -> None:
    writer = PdfWriter()
    for _ in range(4):
        writer.add_blank_page(width=200, height=200)
    with (tmp_path / "long.pdf").open("wb") as out:
        writer.write(out)
    assert "CASEGRAPH_INGEST_MAX_PDF_PAGES" in refused(tmp_path / "long.pdf")


def test_in_a_batch_the_bomb_is_quarantined_and_the_rest_ingested(driver: Driver, neo4j_settings: Settings,
                                                                  tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    zip_bomb_docx(folder / "bomb.docx", expanded_mb=800)  # over the default cap, 768 MiB
    (folder / "filing.txt").write_text((THIN / "cq-police-filing.txt").read_text(encoding="utf-8"), encoding="utf-8")
    register_agencies(driver, neo4j_settings.neo4j_database)
    report = ingest(driver, neo4j_settings.neo4j_database, [folder], "cq-police", tmp_path / "home")
    assert [Path(q.path).name for q in report.quarantined] == ["bomb.docx"]
    assert "CASEGRAPH_INGEST_MAX_ZIP_BYTES" in report.quarantined[0].reason
    documents = driver.execute_query("MATCH (d:Document) RETURN d.filename AS name",
                                     database_=neo4j_settings.neo4j_database).records
    assert [r["name"] for r in documents] == ["filing.txt"]
