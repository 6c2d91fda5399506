"""Account-opening data (开户信息 / 账户信息) and the card numbers it ties to account numbers.

A bank's answer to a police query comes as several tables: the account's opening record (户名, 证件号码,
账号, 卡号, 开户行, 开户日期) beside its transactions (交易明细, naming the account by 交易卡号 or 交易账号).
One account is then written two ways: another bank's statement may name it by its card, this one by its
account number. The opening record says both are one account; the account number is kept as its key and
the card numbers become its other identifiers (`AccountLinks`).

The record is read from a sheet of the statement's own workbook, or from a file beside the statement
whose name says it holds opening data (开户信息.csv, 账户信息_张三.xlsx …).
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from casegraph.ingest.readers.statement_headers import clean_header, match_fields

# field -> header names, exact first; compared after `clean_header`
_OPENING_NAMES: dict[str, tuple[str, ...]] = {
    "card": ("卡号", "借记卡号", "关联卡号", "交易卡号", "银行卡号"),
    "account": ("账号", "主账号", "客户账号", "交易账号", "账户", "账户号"),
    "holder_name": ("户名", "账户名称", "客户名称", "姓名", "开户人", "持卡人"),
    "holder_id": ("证件号码", "身份证号码", "证件号", "开户证件号码", "开户人证件号码"),
    "bank": ("开户行", "开户网点", "开户银行", "开户机构"),
    "opened_on": ("开户日期", "开户时间"),
}
OPENING_FILE_WORDS = ("开户", "账户信息", "帐户信息", "客户信息", "账户资料", "帐户资料")
_OPENING_SUFFIXES = (".csv", ".xlsx", ".xls")
_HEAD_ROWS = 15
MAX_OPENING_ROWS = 100_000  # opening records are one per account: more is no opening table
_DIGITS = re.compile(r"\d{6,30}")


@dataclass(frozen=True, slots=True)
class Opening:
    account: str
    cards: tuple[str, ...]
    holder_name: str | None = None
    holder_id: str | None = None
    bank: str | None = None


@dataclass
class AccountLinks:
    """Card number -> the account number behind it, with what the opening records say of each account."""

    card_of: dict[str, str] = field(default_factory=dict)
    openings: dict[str, Opening] = field(default_factory=dict)

    def add(self, opening: Opening) -> None:
        for card in opening.cards:
            if card != opening.account:
                self.card_of[card] = opening.account
        known = self.openings.get(opening.account) or Opening(opening.account, ())
        cards = tuple(dict.fromkeys((*known.cards, *opening.cards)))
        self.openings[opening.account] = Opening(opening.account, cards, opening.holder_name or known.holder_name,
                                                 opening.holder_id or known.holder_id, opening.bank or known.bank)

    def link(self, card: str, account: str) -> None:
        """A statement row naming both (交易卡号 and 交易账号): the same account."""
        if card and account and card != account and card not in self.card_of and _DIGITS.fullmatch(card) \
                and _DIGITS.fullmatch(account):
            self.card_of[card] = account

    def canonical(self, number: str) -> str:
        return self.card_of.get(number, number)

    def cards_of(self, account: str) -> list[str]:
        return sorted(card for card, owner in self.card_of.items() if owner == account)


def _opening_columns(row: Sequence[object]) -> dict[str, int] | None:
    cells = [clean_header(c) for c in row]
    found: dict[str, int] = {}
    for field_name, names in _OPENING_NAMES.items():
        for name in names:
            if name in cells and cells.index(name) not in found.values():
                found[field_name] = cells.index(name)
                break
    statement = match_fields(row)
    if any(f in statement for f in ("amount", "credit", "debit", "counterparty_account")):
        return None  # a statement's header, whatever else it holds
    numbers = {"account", "card"} & found.keys()
    if numbers == {"account", "card"} or (numbers and ("holder_id" in found or "opened_on" in found)):
        return found
    return None


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return re.sub(r"[\s\-']", "", str(cell).strip().lstrip("\ufeff"))


def _cell(cells: Sequence[object], columns: dict[str, int], name: str) -> str:
    at = columns.get(name)
    return _text(cells[at]) if at is not None and at < len(cells) else ""


def has_opening_header(rows: Sequence[Sequence[object]]) -> bool:
    return any(_opening_columns(row) is not None for row in rows[:_HEAD_ROWS])


def openings_in(rows: Sequence[Sequence[object]]) -> list[Opening]:
    """The opening records of a table whose header (among its first rows) names an account or card
    number with the holder's ID or the opening date; [] for any other table."""
    for index, row in enumerate(rows[:_HEAD_ROWS]):
        columns = _opening_columns(row)
        if columns is None:
            continue
        found = []
        for cells in rows[index + 1:]:
            account, card = _cell(cells, columns, "account"), _cell(cells, columns, "card")
            number = account if _DIGITS.fullmatch(account) else card
            if not _DIGITS.fullmatch(number):
                continue
            cards = (card,) if _DIGITS.fullmatch(card) else ()
            found.append(Opening(number, cards, _cell(cells, columns, "holder_name") or None,
                                 _cell(cells, columns, "holder_id") or None, _cell(cells, columns, "bank") or None))
        return found
    return []


def is_opening_file(path: Path) -> bool:
    return path.suffix.lower() in _OPENING_SUFFIXES and any(w in path.stem for w in OPENING_FILE_WORDS)


def _file_tables(path: Path) -> Iterable[Sequence[Sequence[object]]]:
    """Each opening table of a file, at most MAX_OPENING_ROWS rows."""
    if path.suffix.lower() == ".csv":
        from casegraph.ingest.readers.txt_reader import decode_text

        text, _ = decode_text(path, path.read_bytes())
        yield [list(r) for r in itertools.islice(csv.reader(io.StringIO(text)), MAX_OPENING_ROWS)]
    else:
        from casegraph.ingest.readers.workbooks import sheet_tables

        yield from sheet_tables(path, MAX_OPENING_ROWS, has_opening_header)


@lru_cache(maxsize=256)
def _opening_files(folder: Path, _mtime_ns: int) -> tuple[Path, ...]:
    """The files of a folder named as opening data: listed once per folder and change, not per statement
    (a folder may hold thousands of statements)."""
    return tuple(p for p in sorted(folder.iterdir()) if is_opening_file(p) and p.is_file())


@lru_cache(maxsize=1024)
def _openings_of(path: Path, _mtime_ns: int, _size: int) -> tuple[Opening, ...]:
    """The opening records of one file ((), when it cannot be read: the statements are then read as they
    are, and the file is quarantined when it is ingested)."""
    from casegraph.errors import UnreadableFile

    try:
        return tuple(o for table in _file_tables(path) for o in openings_in(table))
    except (UnreadableFile, OSError, ValueError):
        return ()


def own_openings(path: Path) -> tuple[Opening, ...]:
    """The opening records in the file itself (not its neighbours')."""
    try:
        stat = path.stat()
    except OSError:
        return ()
    return _openings_of(path, stat.st_mtime_ns, stat.st_size)


def links_for(paths: Iterable[Path], tables: Iterable[Sequence[Sequence[object]]] = ()) -> AccountLinks:
    """The links of the opening data beside `paths` (files named as opening data in their folders, and
    the opening sheets of their workbooks) and of the given `tables`."""
    links = AccountLinks()
    seen: set[Path] = set()
    for path in paths:
        folder = path.parent
        try:
            candidates = list(_opening_files(folder, folder.stat().st_mtime_ns))
        except OSError:
            candidates = []
        if path.suffix.lower() in (".xlsx", ".xls"):
            candidates.append(path)
        for candidate in candidates:
            if candidate in seen:
                continue
            seen.add(candidate)
            for opening in own_openings(candidate):
                links.add(opening)
    for table in tables:
        for opening in openings_in(table):
            links.add(opening)
    return links
