"""Bank ledgers (CSV/XLSX statements) read straight into `Transaction` rows.

Chinese bank statements name the same column many ways and come in two shapes: one signed or
flagged amount column (交易金额 + 借贷标志 借/贷, 收/支 or 进/出), or split 收入金额/支出金额 columns;
amounts may be in 万元 (said in the header), times dates, date-times or epoch numbers. A payer/payee
table (AMLSim's orig_acct/bene_acct/base_amt/tran_timestamp, 付款账号/收款账号) is recognised too. Each
row is written from the statement owner's side (本方账号), so the payer is the owner for an outflow
and the counterparty (对方账号) for an inflow. The header is found by name (bank exports often put a
title and the query period above it), matched against the synonym table below; an explicit mapping
(`from=…,to=…,amount=…,time=…`, column names) replaces the detection when the layout is unusual.

This reader exists so that ring detection can run on ledgers alone, without ingesting anything;
it is deliberately narrow (amounts, accounts, times, ids, memo), not a general statement parser.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from datetime import time as dt_time
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from casegraph.ingest.readers.account_opening import AccountLinks, is_opening_file, links_for, own_openings
from casegraph.ingest.readers.statement_headers import (
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
from casegraph.model import Transaction

__all__ = [
    "LedgerError",
    "LedgerLayout",
    "detect_layout",
    "parse_amount",
    "parse_column_mapping",
    "parse_timestamp",
    "read_ledger",
    "read_ledger_flows",
]

# Statements are in Beijing time; epoch seconds are computed in that zone so that "same day"
# and "month end" mean what the bank meant.
CHINA_TZ = timezone(timedelta(hours=8))

# Statement columns are named as `statement_headers` knows them (one vocabulary with the ingest
# reader); this reader's roles are those fields under its own names.
_ROLE_OF_FIELD = {"account": "own_account", "holder_name": "own_name", "counterparty_account": "counter_account",
                  "counterparty_name": "counter_name", "amount": "amount", "credit": "income", "debit": "expense",
                  "direction": "direction", "date": "date", "time": "time", "datetime": "datetime",
                  "tx_id": "tx_id", "memo": "memo", "status": "status", "counterparty_info": "counter_info"}
# Payer/payee tables (a transaction list rather than one account's statement: AMLSim's layout,
# exports of payment systems) are recognised by their own names.
_TABLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "from": ("orig_acct", "付款账号", "付款方账号", "付款人账号", "转出账号", "汇款账号", "payer", "sender"),
    "to": ("bene_acct", "收款账号", "收款方账号", "收款人账号", "转入账号", "payee", "receiver", "beneficiary"),
    "amount": ("base_amt", "交易金额", "金额", "amount", "amt"),
    "time": ("tran_timestamp", "交易时间", "交易日期", "timestamp", "datetime", "date", "time"),
    "tx_id": ("tran_id", "交易流水号", "流水号", "transaction_id", "tx_id"),
}
# Explicit-mapping keys accepted on the command line, and the role each one fills.
_MAPPING_KEYS = {"from": "from", "to": "to", "amount": "amount", "time": "time", "date": "date",
                 "tx_id": "tx_id", "memo": "memo"}



class LedgerError(ValueError):
    """A ledger file that cannot be read as a statement; the message says which file and why."""


@dataclass(frozen=True, slots=True)
class LedgerLayout:
    """Column positions of one statement; `explicit` layouts carry payer/payee columns directly."""

    columns: dict[str, int]
    header_row: int
    explicit: bool = False
    amount_scale: float = 1.0  # 10,000 when the amount columns are in 万元, 0.01 in 分
    own_account: str | None = None  # printed above the header when no column repeats it

    def has(self, role: str) -> bool:
        return role in self.columns


def _clean_header(cell: object) -> str:
    text = "" if cell is None else str(cell)
    return re.sub(r"[\s()（）\[\]【】元:：/／]", "", text).removesuffix("万")


def _amount_scale(row: Sequence[object], columns: Iterable[int]) -> float:
    """10,000 when an amount header says 万元 (交易金额（万元）), 0.01 for 分 (交易金额(分)), else 1."""
    return amount_unit([row[i] for i in columns if i < len(row)])


def _match_roles(headers: list[str], synonyms: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """role -> column of its first listed name present in `headers`, each column used once."""
    columns: dict[str, int] = {}
    for role, names in synonyms.items():
        for name in names:
            if name in headers and headers.index(name) not in columns.values():
                columns[role] = headers.index(name)
                break
    return columns


def _table_layout(row: Sequence[object], index: int) -> LedgerLayout | None:
    """A payer/payee transaction table, found by its header names (any case)."""
    columns = _match_roles([_clean_header(cell).lower() for cell in row], _TABLE_SYNONYMS)
    if {"from", "to", "amount", "time"} <= columns.keys():
        return LedgerLayout(columns, index, True, _amount_scale(row, [columns["amount"]]))
    return None


def parse_column_mapping(spec: str | None) -> dict[str, str] | None:
    """Parse `from=付款账号,to=收款账号,amount=金额,time=时间` into a dict; None stays None."""
    if spec is None or not spec.strip():
        return None
    mapping: dict[str, str] = {}
    for part in spec.split(","):
        if "=" not in part:
            raise LedgerError(f"column mapping part {part!r} is not key=column")
        key, _, column = part.partition("=")
        key = key.strip()
        if key not in _MAPPING_KEYS:
            raise LedgerError(f"unknown column mapping key {key!r}; use {sorted(_MAPPING_KEYS)}")
        mapping[key] = column.strip()
    missing = {"from", "to", "amount"} - mapping.keys()
    if missing or not ({"time", "date"} & mapping.keys()):
        raise LedgerError(f"column mapping needs from, to, amount and time (missing {sorted(missing)})")
    return mapping


def detect_layout(rows: Sequence[Sequence[object]], mapping: dict[str, str] | None = None,
                  *, where: str = "ledger") -> LedgerLayout:
    """Find the header among the first rows and say which column plays which role."""
    for index, row in enumerate(rows[:20]):
        headers = [_clean_header(cell) for cell in row]
        if mapping is not None:
            wanted = {key: _clean_header(name) for key, name in mapping.items()}
            if all(name in headers for name in wanted.values()):
                found = {key: headers.index(name) for key, name in wanted.items()}
                return LedgerLayout(found, index, True, _amount_scale(row, [found["amount"]]))
            continue
        columns = {_ROLE_OF_FIELD[f]: i for f, i in match_fields(row).items() if f in _ROLE_OF_FIELD}
        number_column = account_number_column(row, columns["own_account"], set(columns.values())) \
            if "own_account" in columns else None
        if number_column is not None:
            columns["own_number"] = number_column
        has_amount = "amount" in columns or ("income" in columns and "expense" in columns)
        has_time = bool({"date", "time", "datetime"} & columns.keys())
        own = None if "own_account" in columns else title_fields(rows[:index]).get("account")
        has_counter = bool({"counter_account", "counter_info", "memo"} & columns.keys())
        if ("own_account" in columns or own) and has_counter and has_amount and has_time:
            money = [columns[r] for r in ("amount", "income", "expense") if r in columns]
            return LedgerLayout(columns, index, False, _amount_scale(row, money), own)
        table = _table_layout(row, index)
        if table is not None:
            return table
    if mapping is not None:
        raise LedgerError(f"{where}: no header row holds all mapped columns {sorted(mapping.values())}")
    raise LedgerError(f"{where}: no statement header found (need 本方账号, 对方账号, 交易金额 or "
                      "收入/支出金额, and 交易日期/交易时间); pass --columns from=…,to=…,amount=…,time=…")


_AMOUNT_JUNK = re.compile(r"[,，\s¥￥元]|RMB|CNY")


def parse_amount(value: object) -> float | None:
    """'1,234.50' / '-35.00' / 1234.5 -> float yuan; blank -> None."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and value:
        try:
            return float(value)  # plain "1234.50", the usual case, without the regex
        except ValueError:
            pass
    text = _AMOUNT_JUNK.sub("", str(value))
    if not text or text in {"-", "--"}:
        return None
    return float(text)


_DATE_RE = re.compile(r"(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?")
# A clock like "142201" must not be read as a date: a date has a separator or eight digits.
_LOOKS_LIKE_DATE = re.compile(r"\d{4}[-/.年]|\d{8}")
_TIME_RE = re.compile(r"(\d{1,2}):?(\d{2}):?(\d{2})?")


def parse_timestamp(date_value: object, time_value: object = None) -> float:
    """Date (and optional time-of-day, or a combined date-time) -> epoch seconds, Beijing time."""
    if isinstance(date_value, datetime):
        moment = date_value
        if isinstance(time_value, datetime):
            moment = datetime.combine(date_value.date(), time_value.time())
        return moment.replace(tzinfo=CHINA_TZ).timestamp() if moment.tzinfo is None else moment.timestamp()
    epoch = _epoch(date_value)
    if epoch is not None:
        return epoch
    date_text = str(date_value).strip()
    match = _DATE_RE.match(date_text)
    if match is None:
        raise ValueError(f"not a date: {date_value!r}")
    year, month, day = (int(g) for g in match.groups())
    rest = date_text[match.end():].strip().lstrip("T ")
    time_text = str(time_value).strip() if time_value not in (None, "") else rest
    if isinstance(time_value, (datetime, dt_time)):
        time_text = time_value.strftime("%H:%M:%S")
    # A time column that repeats the date ("2023-03-05 14:22:01") is common: use its clock part.
    date_in_time = _DATE_RE.match(time_text) if _LOOKS_LIKE_DATE.match(time_text) else None
    if date_in_time is not None:
        time_text = time_text[date_in_time.end():].strip().lstrip("T ")
    hour = minute = second = 0
    if time_text:
        tmatch = _TIME_RE.match(time_text)
        if tmatch is None:
            raise ValueError(f"not a time: {time_value!r}")
        hour, minute = int(tmatch.group(1)), int(tmatch.group(2))
        second = int(tmatch.group(3) or 0)
    return datetime(year, month, day, hour, minute, second, tzinfo=CHINA_TZ).timestamp()


def _epoch(value: object) -> float | None:
    """Epoch seconds (10 digits) or milliseconds (13), as numbers or digit strings; None otherwise.

    Eight digits are a date (20230305), so only values past 1e9 (2001-09-09) are read as epochs;
    twelve and fourteen are a compact date-time (201903121015, 20190312101530, as the police's
    bank-query feedback writes 交易时间), which as epochs would lie centuries ahead.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str) and value.strip().replace(".", "", 1).isdigit():
        number = float(value.strip())
    else:
        return None
    if len(str(int(number))) in (12, 14):
        return None
    if number >= 1e12:
        return number / 1000.0
    return number if number >= 1e9 else None


def _digits(value: object) -> str:
    if isinstance(value, str) and value.isdigit():
        return value  # the common case, kept off the regex path
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # Corporate and clearing-house accounts may hold letters (9110000MA01): keep them.
    return re.sub(r"[^0-9A-Za-z]", "", "" if value is None else str(value)).upper()


@lru_cache(maxsize=4096)
def _midnight(date_text: str) -> float | None:
    """Epoch of 00:00 Beijing time for a plain date string; None if the text is more than a date."""
    match = _DATE_RE.fullmatch(date_text)
    if match is None:
        return None
    year, month, day = (int(g) for g in match.groups())
    return datetime(year, month, day, tzinfo=CHINA_TZ).timestamp()


def _clock(text: str) -> float | None:
    """Seconds since midnight for 'HH:MM:SS' or 'HHMMSS'; None for anything else."""
    if len(text) == 8 and text[2] == ":" and text[5] == ":":
        return int(text[:2]) * 3600 + int(text[3:5]) * 60 + int(text[6:])
    if len(text) == 6 and text.isdigit():
        return int(text[:2]) * 3600 + int(text[2:4]) * 60 + int(text[4:])
    return None


def _fast_timestamp(date_value: object, time_value: object) -> float:
    # Statements repeat a few hundred dates over and over: cache the date, add the clock.
    if isinstance(date_value, str) and isinstance(time_value, str):
        midnight = _midnight(date_value)
        clock = _clock(time_value)
        if midnight is not None and clock is not None:
            return midnight + clock
    return parse_timestamp(date_value, time_value)


def _direction_is_out(flag: object, amount: float) -> bool | None:
    out = flag_is_out(flag)
    if out is not None:
        return out
    return None if (flag is None or not str(flag).strip()) and amount >= 0 else amount < 0


# payer, payee, amount (yuan), epoch seconds, tx id, counterparty name, memo, 1-based file row, and the
# queried account whose statement the row is ("" in a payer/payee table): one file may hold several
FlowRow = tuple[str, str, float, float, str | None, str | None, str | None, int, str]


def rows_to_flows(rows: Sequence[Sequence[object]], layout: LedgerLayout,
                  *, where: str = "ledger", links: AccountLinks | None = None) -> Iterator[FlowRow]:
    """Turn data rows (after the header) into payer->payee tuples; the row number is 1-based. Card
    numbers are written as the account numbers behind them (`links`); 合计/总计 lines are skipped."""
    width = max(layout.columns.values()) + 1
    convert = _row_converter(layout, width, signed=_signed_amounts(rows, layout),
                             links=links if links is not None else AccountLinks())
    padding = [None] * (width + 1)
    status = layout.columns.get("status")
    for index in range(layout.header_row + 1, len(rows)):
        row = rows[index]
        if not any(cell not in (None, "") for cell in row) or is_summary_row(row):
            continue
        if status is not None and status < len(row) and not completed(row[status]):
            continue  # the bank refused it: no money moved
        # Pad so that every role, present or not (missing roles read index `width`), is one index;
        # a longer row is cut there, so an unmapped column (AMLSim's is_sar) never fills a missing role.
        padded = [*row, *padding[: width + 1 - len(row)]] if len(row) <= width else [*row[:width], None]
        try:
            yield convert(padded, index + 1)
        except (ValueError, TypeError) as exc:
            raise LedgerError(f"{where} row {index + 1}: {exc}") from exc


def rows_to_transactions(rows: Sequence[Sequence[object]], layout: LedgerLayout,
                         *, where: str = "ledger") -> Iterator[Transaction]:
    """The same rows as the shared `Transaction` model (ISO timestamps)."""
    for payer, payee, amount, at, tx_id, counter, memo, line, _own in rows_to_flows(rows, layout, where=where):
        yield Transaction(payer, payee, amount, _iso(at), line, tx_id, counter, memo)


def _signed_amounts(rows: Sequence[Sequence[object]], layout: LedgerLayout) -> bool:
    """A statement with one amount column and no debit/credit flag whose amounts carry their sign:
    some are negative, so a positive one is an inflow. Without any negative amount the direction
    cannot be read, and each row is refused as before rather than guessed."""
    position = layout.columns.get("amount")
    if position is None or layout.explicit or layout.columns.get("direction") is not None:
        return False
    for row in rows[layout.header_row + 1:]:
        value = row[position] if position < len(row) else None
        try:
            amount = parse_amount(value)
        except ValueError:
            continue
        if amount is not None and amount < 0:
            return True
    return False


def _counter_text(value: object) -> str:
    """The counter account a 对手信息 or 摘要 cell holds (王五 6228…), "" for none or a masked one."""
    found = number_in_text(value)
    return found[0] if found else ""


def _counter_cell(value: object) -> str:
    """A counter-account cell as digits; "" for a masked number (6228****8901), which keys no account."""
    if isinstance(value, str) and value.isdigit():
        return value  # the common case, kept off the regexes
    return "" if isinstance(value, str) and is_masked(value) else _digits(value)


def _row_converter(layout: LedgerLayout, width: int, *, signed: bool = False,
                   links: AccountLinks) -> Callable[[Sequence[object], int], FlowRow]:
    """One function per layout, with the column positions bound once (this runs per row).

    Rows handed to it are padded past `width`, and a role the layout lacks reads column `width`,
    which is always empty, so one `itemgetter` call fetches every cell.
    """
    col = layout.columns.get
    date_pos = col("datetime") if col("datetime") is not None else col("date")
    time_pos = col("time")
    if date_pos is None:
        date_pos, time_pos = time_pos, None
    payer_role, payee_role = ("from", "to") if layout.explicit else ("own_account", "counter_account")
    counter_of: Callable[[object], str] = _counter_cell
    if not layout.explicit and col(payee_role) is None:
        payee_role = "counter_info" if col("counter_info") is not None else "memo"
        counter_of = _counter_text
    positions = [date_pos, time_pos, col("tx_id"), col("memo"), col("counter_name"), col(payer_role),
                 col(payee_role), col("amount"), col("direction"), col("income"), col("expense"), col("own_number")]
    fetch = itemgetter(*(width if p is None else p for p in positions))
    has_amount, explicit, scale = col("amount") is not None, layout.explicit, layout.amount_scale
    own_fixed = layout.own_account
    card_of = links.card_of  # read per row: a row naming card and account adds to it

    def text_or_none(value: object) -> str | None:
        if value is None:
            return None
        text = str(value).strip()
        return text or None

    def convert(row: Sequence[object], line: int) -> FlowRow:
        date_v, time_v, tx_v, memo_v, name_v, first_v, second_v, amount_v, flag_v, in_v, out_v, number_v = fetch(row)
        at = _fast_timestamp(date_v, time_v)
        tx, note, counter = text_or_none(tx_v), text_or_none(memo_v), text_or_none(name_v)
        if explicit:
            first, second = _digits(first_v), _digits(second_v)
        else:
            first = own_fixed or _digits(first_v)
            if number_v is not None:
                links.link(first, _digits(number_v))
            second = counter_of(second_v)
            first, second = card_of.get(first, first), card_of.get(second, second)
        if has_amount:
            amount = parse_amount(amount_v)
            if amount is None:
                raise ValueError("empty amount")
            amount = round(amount * scale, 2) if scale != 1.0 else amount
            if explicit:
                return first, second, abs(amount), at, tx, counter, note, line, ""
            outflow = amount < 0 if signed else _direction_is_out(flag_v, amount)
            if outflow is None:
                raise ValueError("no debit/credit flag and an unsigned amount")
        else:
            income, expense = parse_amount(in_v) or 0.0, parse_amount(out_v) or 0.0
            if scale != 1.0:  # to the fen: 0.29 万元 is 2,900 yuan, not 2899.9999…
                income, expense = round(income * scale, 2), round(expense * scale, 2)
            outflow = abs(expense) > 0
            amount = expense if outflow else income
        if outflow:
            return first, second, abs(amount), at, tx, counter, note, line, first
        return second, first, abs(amount), at, tx, counter, note, line, first

    return convert


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, CHINA_TZ).isoformat()


def _read_rows(path: Path) -> list[list[object]]:
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm", ".xls"}:
        from casegraph.errors import UnreadableFile
        from casegraph.ingest.readers.ledger_reader import statement_rows
        from casegraph.ingest.readers.limits import IngestLimits

        kind = "XLS" if suffix == ".xls" else "XLSX"
        try:
            with statement_rows(path, IngestLimits()) as rows:  # the statement's sheet, as ingest reads it
                return [list(row) for row in rows]
        except UnreadableFile as exc:
            raise LedgerError(f"{path}: not a readable {kind} workbook ({exc.reason})") from exc
        except Exception as exc:  # openpyxl and xlrd raise many unrelated types for a bad file
            raise LedgerError(f"{path}: not a readable {kind} workbook ({exc})") from exc
    if suffix in {".csv", ".txt", ".tsv"}:
        raw = path.read_bytes()
        text = _decode(raw, path)
        dialect_delimiter = "\t" if suffix == ".tsv" or text.count("\t") > text.count(",") else ","
        return [list(row) for row in csv.reader(io.StringIO(text), delimiter=dialect_delimiter)]
    raise LedgerError(f"{path}: unsupported ledger format {suffix!r} (use .csv, .xlsx or .xls)")


def _decode(raw: bytes, path: Path) -> str:
    # Statements come as UTF-8 (often with BOM) or GB18030; try the strict decoders before guessing.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise LedgerError(f"{path}: cannot determine the text encoding")
    return str(best)


def _load(path: str | Path, mapping: dict[str, str] | None) -> tuple[list[list[object]], LedgerLayout]:
    file = Path(path)
    if not file.is_file():
        raise LedgerError(f"{file}: no such ledger file")
    rows = _read_rows(file)
    if not rows:
        raise LedgerError(f"{file}: empty ledger")
    return rows, detect_layout(rows, mapping, where=str(file))


def read_ledger(path: str | Path, mapping: dict[str, str] | None = None) -> list[Transaction]:
    """Read one CSV/XLSX/XLS statement into payer->payee `Transaction`s (amount in yuan, ISO time)."""
    rows, layout = _load(path, mapping)
    return list(rows_to_transactions(rows, layout, where=str(path)))


def read_ledger_flows(paths: Iterable[str | Path], mapping: dict[str, str] | None = None,
                      links: AccountLinks | None = None) -> Iterator[tuple[str, FlowRow]]:
    """Yield (path, flow tuple) for every row of every ledger, in file order (epoch times). Card numbers
    become the account numbers behind them: `links`, else the opening data beside each file."""
    for path in paths:
        try:
            rows, layout = _load(path, mapping)
        except LedgerError:
            if is_opening_file(Path(path)) and own_openings(Path(path)):
                continue  # account-opening data alone: links, no rows
            raise
        for flow in rows_to_flows(rows, layout, where=str(path),
                                  links=links if links is not None else links_for([Path(path)])):
            yield str(path), flow
