"""Bank ledgers (.csv, .xlsx) to transactions, with presets for common Chinese statement layouts.

A statement either has one signed or flagged amount column (交易金额 with 借贷标志) or split
columns (收入金额 / 支出金额). The header row is found among the first rows by matching known
column names; an explicit `columns` mapping (field -> header text) overrides what was detected.
The text of a ledger is its rows, one line each with cells joined by a tab (for CSV the decoded
file itself), and `row_starts` gives the offset of every line.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

from casegraph.errors import InvalidInput, UnreadableFile
from casegraph.ingest.readers.account_opening import AccountLinks, links_for
from casegraph.ingest.readers.base import ReadResult, read_bytes
from casegraph.ingest.readers.limits import IngestLimits, check_rows
from casegraph.ingest.readers.statement_headers import (
    FIELD_NAMES,
    account_number_column,
    amount_unit,
    completed,
    flag_is_out,
    is_masked,
    is_summary_row,
    match_fields,
    number_in_text,
    title_fields,
)
from casegraph.ingest.readers.txt_reader import decode_text
from casegraph.model import Transaction

LEDGER_FIELDS = tuple(FIELD_NAMES)
# The account number beside a card number in the same row (the police's feedback: 交易卡号 and 交易账号):
# not a field of the vocabulary (a column of its own only when the card has taken `account`).
ACCOUNT_NUMBER = "account_number"
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_HEADER_SCAN_ROWS = 15


def _clean(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip().lstrip("'\ufeff").strip()


_ACCOUNT_SPACING = re.compile(r"[\s\-]")


def _account(cell: object) -> str:
    """An account cell as one number: exports group card digits (6222 0202 0011 2233 446, 6222-0202-…)."""
    text = _clean(cell)
    # one regex search, not a generator over every character: this runs twice per ledger row
    return _ACCOUNT_SPACING.sub("", text) if _ACCOUNT_SPACING.search(text) else text


def detect_columns(header: Sequence[str]) -> dict[str, int]:
    """Map ledger fields to column indexes by header name; exact names beat partial ones."""
    return match_fields(header)


def counterparty_source(columns: dict[str, int]) -> str | None:
    """Where a row's counter account is written: its own column, else a cell holding the counterparty's
    name and number (对手信息), else the 摘要 (农行: 转账存入 张三 6217…)."""
    return next((f for f in ("counterparty_account", "counterparty_info", "memo") if f in columns), None)


def _layout(columns: dict[str, int], own_account_known: bool = False) -> str | None:
    if ("account" not in columns and not own_account_known) or counterparty_source(columns) is None:
        return None
    if "credit" in columns and "debit" in columns:
        return "split_in_out"
    if "amount" in columns and "direction" in columns:
        return "amount_with_flag"
    if "amount" in columns:
        return "signed_amount"
    return None


def _apply_mapping(header: Sequence[str], detected: dict[str, int], columns: dict[str, str]) -> dict[str, int]:
    unknown = sorted(set(columns) - set(LEDGER_FIELDS))
    if unknown:
        raise InvalidInput(f"unknown ledger field(s) {', '.join(unknown)}; known: {', '.join(LEDGER_FIELDS)}")
    mapped = dict(detected)
    for field_name, header_name in columns.items():
        if header_name not in header:
            raise InvalidInput(f"column {header_name!r} for {field_name} is not in the header {list(header)}")
        mapped = {f: i for f, i in mapped.items() if i != header.index(header_name)}
        mapped[field_name] = header.index(header_name)
    return mapped


def _amount(text: str) -> Decimal | None:
    cleaned = text.replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").replace("元", "").strip()
    if not cleaned:
        return None
    if not _NUMBER.match(cleaned):
        raise ValueError(f"bad amount {text!r}")
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"bad amount {text!r}") from exc


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日")
_DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y%m%d %H%M%S", "%Y-%m-%d %H:%M",
                     "%Y-%m-%dT%H:%M:%S", "%Y%m%d%H%M%S")


def _iso_moment(text: str) -> datetime | None:
    """ISO dates and date-times through the C parser: a ledger of millions of rows spent most of its
    reading time trying strptime formats one by one."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is None else None  # a zoned time is no shape statements use


def _iso_clock(text: str) -> time | None:
    try:
        clock = time.fromisoformat(text)
    except ValueError:
        return None
    return clock if clock.tzinfo is None else None


def _timestamp(date_cell: object, time_cell: object) -> str:
    if isinstance(date_cell, datetime):
        moment = date_cell
        if isinstance(time_cell, time):
            moment = datetime.combine(moment.date(), time_cell)
        return moment.isoformat()
    if isinstance(date_cell, date):
        day = date_cell
    else:
        text = _clean(date_cell)
        iso = _iso_moment(text)
        if iso is not None and len(text) > 10:
            return iso.isoformat()
        for fmt in () if iso is not None else _DATETIME_FORMATS:
            try:
                return datetime.strptime(text, fmt).isoformat()
            except ValueError:
                continue
        for fmt in () if iso is not None else _DATE_FORMATS:
            try:
                day = datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        else:
            if iso is None:
                raise ValueError(f"bad date {text!r}")
            day = iso.date()
    clock = time_cell if isinstance(time_cell, time) else None
    if clock is None and _clean(time_cell):
        raw = _clean(time_cell)
        if " " in raw:  # a full timestamp in the time column
            return _timestamp(raw, None)
        for fmt in () if (clock := _iso_clock(raw)) is not None else ("%H:%M:%S", "%H%M%S", "%H:%M"):
            try:
                clock = datetime.strptime(raw, fmt).time()
                break
            except ValueError:
                continue
    return datetime.combine(day, clock).isoformat() if clock else day.isoformat()


def _outgoing(flag: str, signed: Decimal) -> bool:
    if flag.strip():
        out = flag_is_out(flag)
        if out is None:
            raise ValueError(f"unknown debit/credit flag {flag!r}")
        return out
    return signed < 0


def rows_to_transactions(rows: Iterable[tuple[int, Sequence[object]]], columns: dict[str, int],
                         layout: str, unit: float = 1.0, fixed: dict[str, str] | None = None,
                         links: AccountLinks | None = None) -> tuple[list[Transaction], list[str]]:
    """Transactions from data rows (row number, cells), amounts times `unit`; `fixed` holds what the
    title lines say for every row (the queried account and its holder). Card numbers are written as
    the account numbers behind them (`links`, which learns from rows naming both). Bad rows and
    transfers the bank refused become warnings, not failures; 合计/总计 lines are skipped."""
    transactions: list[Transaction] = []
    warnings: list[str] = []
    constant = fixed or {}
    links = links if links is not None else AccountLinks()
    counter_field = counterparty_source(columns)

    def cell(cells: Sequence[object], field_name: str) -> object:
        index = columns.get(field_name)
        if index is None:
            return constant.get(field_name)
        return cells[index] if index < len(cells) else None

    for number, cells in rows:
        if not any(_clean(c) for c in cells) or is_summary_row(cells):
            continue
        if not completed(cell(cells, "status")):
            warnings.append(f"row {number}: not carried out ({_clean(cell(cells, 'status'))}), not a transfer")
            continue
        try:
            own = _account(cell(cells, "account"))
            if ACCOUNT_NUMBER in columns:
                links.link(own, _account(cell(cells, ACCOUNT_NUMBER)))
            own = links.canonical(own)
            other, other_name = _counterparty(cell(cells, counter_field) if counter_field else None, counter_field)
            if other == _MASKED:
                warnings.append(f"row {number}: counter account masked ({_clean(cell(cells, counter_field or ''))}), "
                                "not a transfer")
                other = ""
            other = links.canonical(other)
            if layout == "split_in_out":
                credit = _amount(_clean(cell(cells, "credit"))) or Decimal(0)
                debit = _amount(_clean(cell(cells, "debit"))) or Decimal(0)
                outgoing = debit > 0
                value = debit if outgoing else credit
            else:
                signed = _amount(_clean(cell(cells, "amount")))
                if signed is None:
                    raise ValueError("no amount")
                outgoing = _outgoing(_clean(cell(cells, "direction")), signed)
                value = abs(signed)
            stamp_source = cell(cells, "datetime") or cell(cells, "date")
            at = _timestamp(stamp_source, cell(cells, "time") if "datetime" not in columns else None)
        except ValueError as exc:
            warnings.append(f"row {number}: {exc}")
            continue
        transactions.append(Transaction(
            from_account=own if outgoing else other,
            to_account=other if outgoing else own,
            amount=float(value * Decimal(str(unit))) if unit != 1.0 else float(value),
            at=at,
            row=number,
            tx_id=_clean(cell(cells, "tx_id")) or None,
            counterparty_name=_clean(cell(cells, "counterparty_name")) or other_name,
            memo=_clean(cell(cells, "memo")) or None,
            own_account=own or None,
            holder_name=_clean(cell(cells, "holder_name")) or None,
            holder_id=_clean(cell(cells, "holder_id")) or None,
        ))
    return transactions, warnings


_MASKED = "\x00masked"


def _counterparty(value: object, source: str | None) -> tuple[str, str | None]:
    """The counter account of a row and the name written with it, "" for none (cash, a fee) and
    `_MASKED` for a number printed with hidden digits, which keys no account."""
    if source == "counterparty_account":
        return (_MASKED, None) if is_masked(value) else (_account(value), None)
    if is_masked(value) and source == "counterparty_info":
        return _MASKED, None
    found = number_in_text(value)
    return (found[0], found[1] or None) if found else ("", None)


class StatementHeader(NamedTuple):
    row: int  # the header row's index
    columns: dict[str, int]
    layout: str
    unit: float  # 10,000 when the amount header says 万元 (large statements), 0.01 for 分 (payment companies)
    fixed: dict[str, str]  # what the title lines say for every row: the queried account, its holder


def find_header(path: Path, rows: Sequence[Sequence[object]], columns: dict[str, str] | None) -> StatementHeader:
    """The header among the first rows, with its field columns, layout and amount unit. A personal
    statement may print its account number and holder above the header instead of in a column."""
    for header_index, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        header = [_clean(c) for c in row]
        detected = detect_columns(header)
        if columns:
            detected = _apply_mapping(header, detected, columns)
        title = {f: v for f, v in title_fields(rows[:header_index]).items() if f not in detected}
        layout = _layout(detected, "account" in title)
        if layout and "account" in detected and \
                (number_column := account_number_column(header, detected["account"], set(detected.values()))) is not None:
            detected[ACCOUNT_NUMBER] = number_column
        if layout:
            amount_headers = [header[detected[f]] for f in ("amount", "credit", "debit") if f in detected]
            unit = amount_unit(amount_headers)
            return StatementHeader(header_index, detected, layout, unit, title)
    raise UnreadableFile(str(path), "no recognised ledger header (need own account, counterparty account "
                                    "and amount columns); pass an explicit column mapping")


def _ledger(path: Path, rows: list[list[object]], text: str, row_starts: list[int], sha: str, fmt: str,
            columns: dict[str, str] | None, encoding: str | None = None) -> ReadResult:
    header = find_header(path, rows, columns)
    data = [(i + 1, r) for i, r in enumerate(rows) if i > header.row]
    transactions, warnings = rows_to_transactions(data, header.columns, header.layout, header.unit, header.fixed,
                                                  links_for([path]))
    return ReadResult(text=text, sha256=sha, format=fmt, encoding=encoding, row_starts=row_starts,
                      transactions=transactions, layout=header.layout, warnings=warnings)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(i + 1 for i, c in enumerate(text) if c == "\n" and i + 1 < len(text))
    return starts


def _capped_rows(path: Path, rows: Iterable[Sequence[object]], limits: IngestLimits) -> list[list[object]]:
    """The rows, refused past the cap (the header and one row of slack: the cap counts data rows)."""
    kept = [list(r) for r in itertools.islice(rows, limits.ledger_rows + 2)]
    check_rows(path, len(kept) - 1, limits)
    return kept


def read_csv_ledger(path: Path, columns: dict[str, str] | None = None,
                    limits: IngestLimits | None = None) -> ReadResult:
    limits = limits or IngestLimits()
    raw, sha = read_bytes(path)
    text, encoding = decode_text(path, raw)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel()  # type: ignore[assignment]
    rows = _capped_rows(path, csv.reader(io.StringIO(text), dialect), limits)
    return _ledger(path, rows, text, _line_starts(text), sha, "csv", columns, encoding)


def _holds_statement(rows: Sequence[Sequence[object]]) -> bool:
    for index, row in enumerate(rows):
        own_in_title = "account" in title_fields(rows[:index])
        if _layout(detect_columns([_clean(c) for c in row]), own_in_title):
            return True
    return False


@contextmanager
def statement_rows(path: Path, limits: IngestLimits) -> Iterator[Iterator[Sequence[object]]]:
    """The rows of a workbook's statement sheet, read as they are asked for (.xlsx `read_only`; an .xls
    is read whole, as its format allows no more), refused when the rows the sheet declares are over the
    cap. Exports often open with a sheet of account details (开户信息) before the transactions (交易明细):
    the first sheet whose head holds a statement header is taken, else the first."""
    if path.suffix.lower() == ".xls":
        from casegraph.ingest.readers.workbooks import xls_book, xls_row_count, xls_rows

        with xls_book(path) as book:
            index = next((i for i in range(book.nsheets) if book.nsheets > 1
                          and _holds_statement(list(itertools.islice(xls_rows(book, i), _HEADER_SCAN_ROWS)))), 0)
            check_rows(path, xls_row_count(book, index) - 1, limits)
            yield xls_rows(book, index)
        return
    from casegraph.ingest.readers.workbooks import xlsx_book

    with xlsx_book(path) as workbook:
        sheets = workbook.worksheets
        sheet = next((s for s in sheets if len(sheets) > 1
                      and _holds_statement(list(itertools.islice(s.iter_rows(values_only=True), _HEADER_SCAN_ROWS)))),
                     sheets[0])
        check_rows(path, (sheet.max_row or 1) - 1, limits)  # as the sheet declares it, before reading
        yield sheet.iter_rows(values_only=True)


def read_xlsx_ledger(path: Path, columns: dict[str, str] | None = None,
                     limits: IngestLimits | None = None) -> ReadResult:
    limits = limits or IngestLimits()
    _, sha = read_bytes(path)
    with statement_rows(path, limits) as sheet_rows:
        rows = _capped_rows(path, sheet_rows, limits)
    lines = ["\t".join(_clean(c) for c in r) for r in rows]
    text = "\n".join(lines)
    row_starts: list[int] = []
    offset = 0
    for line in lines:
        row_starts.append(offset)
        offset += len(line) + 1
    return _ledger(path, rows, text, row_starts, sha, path.suffix.lower().lstrip(".") or "xlsx", columns)
