"""Spreadsheet workbooks as sheets of rows: .xlsx through openpyxl, old binary .xls (BIFF) through xlrd.

Many bank systems still export .xls. xlrd 2.x reads exactly that format (and refuses .xlsx, which
openpyxl reads). A BIFF file is read whole into memory — the format allows 65,536 rows a sheet, and
the file-size cap already bounds it — with sheets loaded one at a time (`on_demand`). Date cells come
back as `datetime`, whole numbers as `int` (an account number typed as a number must not read 6.2e18).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from casegraph.errors import UnreadableFile


@contextmanager
def xls_book(path: Path) -> Iterator[Any]:
    """An open .xls workbook; UnreadableFile (to quarantine, with the reason) for a damaged or mislabelled one."""
    import xlrd  # imported here: only .xls ledgers pay for it

    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except xlrd.XLRDError as exc:
        raise UnreadableFile(str(path), f"not a valid .xls file ({exc})") from exc
    except (xlrd.compdoc.CompDocError, ValueError, IndexError, KeyError, AssertionError, OSError) as exc:
        # xlrd raises these for a truncated or damaged BIFF stream
        raise UnreadableFile(str(path), f"not a valid .xls file (damaged: {exc.__class__.__name__})") from exc
    try:
        yield book
    finally:
        book.release_resources()


def xls_rows(book: Any, index: int) -> Iterator[list[object]]:
    """The rows of sheet `index` as Python values."""
    import xlrd

    try:
        sheet = book.sheet_by_index(index)
    except (xlrd.XLRDError, ValueError, IndexError, AssertionError) as exc:
        raise UnreadableFile(str(book), f"not a valid .xls sheet ({exc.__class__.__name__})") from exc
    for r in range(sheet.nrows):
        yield [_value(cell, book.datemode) for cell in sheet.row(r)]


def xls_row_count(book: Any, index: int) -> int:
    return int(book.sheet_by_index(index).nrows)


def _value(cell: Any, datemode: int) -> object:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_EMPTY or cell.ctype == xlrd.XL_CELL_BLANK:
        return None
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            moment: datetime = xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (xlrd.xldate.XLDateError, OverflowError, ValueError):
            return cell.value
        return moment
    if cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
        return int(cell.value)
    return cell.value


def sheet_tables(path: Path, max_rows: int, wanted: Callable[[list[list[object]]], bool],
                 head_rows: int = 15) -> Iterator[list[list[object]]]:
    """The sheets of a workbook (.xlsx or .xls) whose first `head_rows` rows are `wanted`, each cut at
    `max_rows` rows; the other sheets (a statement of a million rows beside its opening record) are read
    no further than their head."""
    if path.suffix.lower() == ".xls":
        with xls_book(path) as book:
            for index in range(book.nsheets):
                if wanted(list(itertools.islice(xls_rows(book, index), head_rows))):
                    yield list(itertools.islice(xls_rows(book, index), max_rows))
        return
    with xlsx_book(path) as workbook:
        for sheet in workbook.worksheets:
            if wanted([list(r) for r in itertools.islice(sheet.iter_rows(values_only=True), head_rows)]):
                yield [list(r) for r in itertools.islice(sheet.iter_rows(values_only=True), max_rows)]


@contextmanager
def xlsx_book(path: Path) -> Iterator[Any]:
    """An .xlsx workbook opened `read_only` (rows parsed as they are asked for); UnreadableFile for a bad one."""
    import zipfile

    import openpyxl  # imported here: only ledgers pay for it

    try:
        workbook = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFile(str(path), f"not a valid .xlsx file ({exc.__class__.__name__})") from exc
    try:
        yield workbook
    finally:
        workbook.close()
