"""Ledgers read as a stream: transactions in batches, memory flat however long the statement.

`open_ledger` settles everything that could refuse the file before the first row is handed on: the
caps, the encoding (the whole file is decoded once, in blocks, and thrown away), the row count (its
lines), the header and layout. So a ledger is either refused whole, before any of it reaches the
graph, or read to the end; a bad row is a warning, as on the whole-file path. The rows themselves are
read on a second pass, CSV rows by the csv module from the decoded file, XLSX rows by openpyxl in
`read_only` mode, and turned into transactions a batch at a time (`ledger_reader.rows_to_transactions`,
the same conversion as the whole-file reader).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import itertools
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casegraph.errors import UnreadableFile
from casegraph.ingest.readers.account_opening import AccountLinks, is_opening_file, links_for, own_openings
from casegraph.ingest.readers.base import file_sha256
from casegraph.ingest.readers.ledger_reader import find_header, rows_to_transactions, statement_rows
from casegraph.ingest.readers.limits import IngestLimits, check_rows, check_size, check_zip
from casegraph.ingest.readers.txt_reader import decode_text
from casegraph.model import Transaction

BLOCK = 1 << 20  # bytes read at a time
HEAD = 64 * 1024  # bytes the encoding and the CSV dialect are told from
LEDGER_SUFFIXES = (".csv", ".xlsx", ".xls")
OPENING_LAYOUT = "account_opening"  # a file of opening records alone: accounts and holders, no rows


@dataclass
class LedgerStream:
    """A ledger whose header, layout and encoding are known and whose rows are still on disk."""

    path: Path
    sha256: str
    format: str
    layout: str
    columns: dict[str, int]
    header_index: int
    unit: float
    fixed: dict[str, str] = field(default_factory=dict)  # the title lines' account and holder
    encoding: str | None = None
    dialect: Any = None
    limits: IngestLimits = field(default_factory=IngestLimits)
    warnings: list[str] = field(default_factory=list)
    # card -> account number, from the opening data beside the statement and its rows naming both
    links: AccountLinks = field(default_factory=AccountLinks)

    def batches(self, size: int = 10_000) -> Iterator[list[Transaction]]:
        """The transactions in file order, `size` rows at a time; bad rows go to `warnings`."""
        if self.layout == OPENING_LAYOUT:
            return
        rows = self._rows()
        try:
            data = itertools.islice(enumerate(rows, start=1), self.header_index + 1, None)
            read = 0
            while chunk := list(itertools.islice(data, size)):
                read += len(chunk)
                # an .xlsx need not declare its rows: then the cap is held here, and the caller takes
                # back what it wrote of the file (ledger_ingest)
                check_rows(self.path, read, self.limits)
                transactions, warnings = rows_to_transactions(chunk, self.columns, self.layout, self.unit, self.fixed,
                                                              self.links)
                self.warnings.extend(warnings)
                if transactions:
                    yield transactions
        finally:
            rows.close()

    def _rows(self) -> Generator[Sequence[object], None, None]:
        if self.format == "csv":
            return _csv_rows(self.path, self.encoding or "utf-8", self.dialect)
        return _sheet_rows(self.path, self.limits)


def _csv_rows(path: Path, encoding: str, dialect: Any) -> Generator[Sequence[object], None, None]:
    with path.open(encoding=encoding, newline="") as handle:
        yield from csv.reader(handle, dialect)


def _sheet_rows(path: Path, limits: IngestLimits) -> Generator[Sequence[object], None, None]:
    with statement_rows(path, limits) as rows:
        yield from rows


def head_text(path: Path, head: bytes) -> tuple[str, str]:
    """The decoded head and the file's encoding. The head is cut at its last line break, so that no
    character is split; the encoding found there must then decode the whole file (checked after)."""
    cut = head.rfind(b"\n") + 1 if len(head) == HEAD else len(head)
    text, encoding = decode_text(path, head[:cut or len(head)])
    return text, encoding


def _scan_csv(path: Path, encoding: str, limits: IngestLimits) -> str:
    """One pass over the bytes: the sha256, the whole file decoded in blocks (an encoding that fails
    past the head refuses the file before anything is written), and the lines counted against the cap."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 0
    offset = 0
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            digest.update(block)
            lines += block.count(b"\n")
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                raise UnreadableFile(str(path), f"wrong encoding: not valid {encoding} at byte "
                                                f"{offset + exc.start}") from exc
            offset += len(block)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise UnreadableFile(str(path), f"wrong encoding: {encoding} text cut short at the end") from exc
    # lines bound the rows from above (a quoted cell may hold a line break): header and title lines aside
    check_rows(path, lines - 1, limits)
    return digest.hexdigest()


def _open_csv(path: Path, columns: dict[str, str] | None, limits: IngestLimits) -> LedgerStream:
    with path.open("rb") as handle:
        head = handle.read(HEAD)
    if not head.strip():
        raise UnreadableFile(str(path), "empty file")
    text, encoding = head_text(path, head)
    sha = _scan_csv(path, encoding, limits)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel()
    head_rows = list(itertools.islice(csv.reader(text.splitlines(), dialect), 15))
    header = find_header(path, head_rows, columns)
    return LedgerStream(path, sha, "csv", header.layout, header.columns, header.row, header.unit, header.fixed,
                        encoding, dialect, limits=limits)


def _open_sheet(path: Path, columns: dict[str, str] | None, limits: IngestLimits) -> LedgerStream:
    fmt = path.suffix.lower().lstrip(".")
    if fmt != "xls":
        check_zip(path, limits)
    with statement_rows(path, limits) as rows:
        head_rows = [list(r) for r in itertools.islice(rows, 15)]
    if not head_rows:
        raise UnreadableFile(str(path), "empty file")
    header = find_header(path, head_rows, columns)
    return LedgerStream(path, file_sha256(path), fmt, header.layout, header.columns, header.row, header.unit,
                        header.fixed, limits=limits)


def _opening_only(path: Path, links: AccountLinks) -> LedgerStream:
    """An account-opening file (开户信息.csv) ingested on its own: its accounts, their card numbers and
    holders, and no transfers."""
    return LedgerStream(path, file_sha256(path), path.suffix.lower().lstrip("."), OPENING_LAYOUT, {}, 0, 1.0,
                        links=links)


def open_ledger(path: Path, columns: dict[str, str] | None = None,
                limits: IngestLimits | None = None) -> LedgerStream:
    """A .csv, .xlsx or .xls ledger ready to stream, with the card-to-account links of the opening data
    beside it (`account_opening`); raises UnreadableFile for one to quarantine."""
    if not path.is_file():
        raise UnreadableFile(str(path), "no such file")
    limits = limits or IngestLimits.from_settings()
    check_size(path, limits)
    try:
        stream = _open_csv(path, columns, limits) if path.suffix.lower() == ".csv" else _open_sheet(path, columns, limits)
    except UnreadableFile:
        # a file named as opening data with no statement in it (账户信息_张三.xlsx may hold both)
        if columns is None and is_opening_file(path) and own_openings(path):
            return _opening_only(path, links_for([path]))
        raise
    stream.links = links_for([path])
    return stream
