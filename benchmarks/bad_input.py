"""Oversized and hostile input files (issue 22): time and peak memory of reading and extracting each.

Usage:
    PYTHONPATH=. python benchmarks/bad_input.py [--scale 1.0] [--keep DIR]

Generates in a temp folder a CSV ledger (200 MB at scale 1), an XLSX ledger (40 MB), a text of
paragraphs (100 MB) whose last paragraph names a resident ID and a phone, and a zip-bomb .docx
(a few hundred KB that would expand to 1 GB). Each file is read in a fresh process, so its peak RSS
is that file's own, the way `ingest` reads it up to the writer: ledgers and the long text streamed
(`stream_ledger`, `stream_text`), the .docx by `casegraph.ingest.extract.extract_file` with the
settings' caps. Prints per
file: size, seconds, peak RSS, and the outcome (mentions
or transactions, or the quarantine reason); for the text, whether the last paragraph's mentions
are at their true offsets. The target: peak RSS < 600 MB for every file.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

LAST = "经查，王强（身份证号码510104197602290087）使用手机13823456789与张伟联系。\n"
PARAGRAPH = ("2023年5月，犯罪嫌疑人张伟（男，身份证号码500103198503124515）通过其名下中国工商银行账户"
             "6222020200112233446向李娜转账人民币50000元。\n")
HEADER = ["交易日期", "交易时间", "交易账号", "交易户名", "对方账号", "对方户名", "交易金额", "借贷标志", "摘要"]


def _row(i: int) -> list[str]:
    return [f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}", f"{i % 24:02d}:{i % 60:02d}:00", f"62220202{i % 99991:011d}",
            "张伟", f"62170038{(i * 7) % 99989:011d}", "李娜", f"{100 + i % 9000}.00", "借" if i % 2 else "贷",
            "转账"]


def make_csv(path: Path, target_bytes: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        i = 0
        while out.tell() < target_bytes:
            for _ in range(10_000):
                writer.writerow(_row(i))
                i += 1


def make_xlsx(path: Path, target_bytes: int) -> None:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    # ~47 bytes per row compressed in an xlsx of these rows (a 68 MB file held 1.5 M): estimate the
    # count, do not re-measure.
    for i in range(target_bytes // 47):
        sheet.append(_row(i))
    workbook.save(str(path))


def make_text(path: Path, target_bytes: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        block = PARAGRAPH * 1000
        while out.tell() < target_bytes:
            out.write(block)
        out.write(LAST)


def make_bomb(path: Path, expanded_mb: int = 1024) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            zeros = b"0" * (1 << 20)
            for _ in range(expanded_mb):
                part.write(zeros)


def _peak_rss_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def stream_ledger(path: Path) -> dict[str, object]:
    """What `ingest` does with a ledger up to the writer (casegraph.ingest.ledger_ingest): the stream of
    rows in parts of 20,000, each part's transfers and accounts as the writer's parameter rows, then the
    accounts' mentions in parts. Nothing is sent to Neo4j: its memory is the server's, not this process's."""
    from casegraph.graph.batch_rows import batch_rows
    from casegraph.ingest.ledger_ingest import PART_ROWS
    from casegraph.ingest.readers.ledger_stream import open_ledger
    from casegraph.ingest.resolution.document import document_key
    from casegraph.ingest.resolution.ledger_accounts import LedgerAccounts, transfer_part

    stream = open_ledger(path)
    document = {"key": document_key(stream.sha256)}
    accounts = LedgerAccounts()
    rows = transfers = 0
    for transactions in stream.batches(PART_ROWS):
        rows += len(transactions)
        transfers += len(batch_rows([transfer_part(document, accounts.add(transactions))], set()).transfers)
    parts = accounts.mention_parts(document, PART_ROWS)
    mentions = sum(batch_rows([part], {document["key"]}).mentions for part in parts)
    return {"transactions": rows, "transfers": transfers, "accounts": mentions, "warnings": len(stream.warnings)}


def stream_text(path: Path) -> dict[str, object]:
    """What `ingest` does with a long text up to the writer (casegraph.ingest.text_ingest): pieces read,
    extracted and resolved one at a time, each as the writer's parameter rows, then the Document to
    publish. Nothing is sent to Neo4j. The last paragraph's mentions are checked against the file's
    bytes at the offsets the writer was handed."""
    from casegraph.graph.batch_rows import batch_rows
    from casegraph.graph.facts import AgencyRef
    from casegraph.ingest.readers.text_stream import open_text
    from casegraph.ingest.text_ingest import TextParts

    parts = TextParts(open_text(path), AgencyRef("cq-police", "CQ", "police"), "shared", [])
    size = path.stat().st_size
    last_start = size - len(LAST.encode())  # the text is UTF-8 and its last paragraph is known: its bytes
    mentions, tail = 0, []
    for facts in parts:
        rows = batch_rows([facts], {facts.key})
        mentions += rows.mentions
        tail = [r.props for r in facts.rels if r.type == "MENTIONED_IN"] or tail
    with path.open("rb") as handle:  # offsets are characters: the tail is checked in the decoded tail
        handle.seek(last_start)
        last = handle.read().decode("utf-8")
    chars_before = _chars(path, last_start)
    found = [m for m in tail if m["start"] >= chars_before]
    published = parts.published({"key": "doc"}, [])
    return {"pieces_mentions": mentions, "entities": parts.entities, "relations": parts.relations,
            "published_nodes": len(published.nodes),
            "last_paragraph": sorted({m["text"] for m in found}),
            "true_offsets": bool(found) and all(last[m["start"] - chars_before:m["end"] - chars_before] == m["text"]
                                                for m in found)}


def _chars(path: Path, byte_offset: int) -> int:
    """Characters in the first `byte_offset` bytes of a UTF-8 file, counted a block at a time."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    chars, left = 0, byte_offset
    with path.open("rb") as handle:
        while left:
            block = handle.read(min(left, 1 << 20))
            left -= len(block)
            chars += len(decoder.decode(block))
    return chars


def child(path: str) -> None:
    """In a fresh process: read one file as ingest does and print what came of it as JSON."""
    from casegraph.errors import UnreadableFile
    from casegraph.ingest.extract import extract_file

    started = time.perf_counter()
    try:
        streamed = stream_ledger if path.endswith((".csv", ".xlsx")) else stream_text if path.endswith(".txt") else None
        if streamed is not None:
            print(json.dumps(streamed(Path(path)) | {"seconds": round(time.perf_counter() - started, 1),
                                                        "cpu_seconds": round(time.process_time(), 1),
                                                        "peak_rss_mb": _peak_rss_mb()}))
            return
        doc = extract_file(Path(path))
        outcome: dict[str, object] = {"entities": len(doc.entities), "transactions": len(doc.transactions)}
    except UnreadableFile as exc:
        outcome = {"quarantined": exc.reason}
    outcome["seconds"] = round(time.perf_counter() - started, 1)
    outcome["cpu_seconds"] = round(time.process_time(), 1)
    outcome["peak_rss_mb"] = _peak_rss_mb()
    print(json.dumps(outcome, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="file sizes times this (1: 200/40/100 MB)")
    parser.add_argument("--only", default="csv,xlsx,txt,docx")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    mb = 1024 * 1024
    makers = {"csv": ("ledger.csv", make_csv, 200 * mb), "xlsx": ("ledger.xlsx", make_xlsx, 40 * mb),
              "txt": ("long.txt", make_text, 100 * mb), "docx": ("bomb.docx", None, 0)}
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}; scale {args.scale:g}")
    with tempfile.TemporaryDirectory(prefix="bad-input-") as work:
        for kind in args.only.split(","):
            name, make, size = makers[kind]
            path = Path(work) / name
            if make is None:
                make_bomb(path)
            else:
                make(path, int(size * args.scale))
            result = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True, text=True,
                                    env=dict(os.environ, PYTHONPATH=os.getcwd()))
            if result.returncode != 0:
                print(f"{name:12} {path.stat().st_size / mb:7.1f} MB  FAILED: {result.stderr.strip()[-300:]}")
                continue
            outcome = json.loads(result.stdout.strip().splitlines()[-1])
            rss = outcome.pop("peak_rss_mb")
            print(f"{name:12} {path.stat().st_size / mb:7.1f} MB  {outcome.pop('seconds'):7.1f} s "
                  f"({outcome.pop('cpu_seconds')} s CPU)  "
                  f"peak RSS {rss:5d} MB ({'met' if rss < 600 else 'NOT met'}: < 600)  {outcome}")
            path.unlink()


if __name__ == "__main__":
    main()
