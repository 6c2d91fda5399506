"""The importer's CSV files: one file per signature, values typed as the transactional writer stores
them, empty lists set aside, values the CSV cannot carry refused (no database: the files only)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from casegraph.graph.import_csv import ARRAY_DELIMITER, EMPTY_LISTS, CsvWriter, ImportValueError


def _files(tmp_path: Path, writer: CsvWriter) -> dict[str, list[list[str]]]:
    out = {}
    for arg in writer.write():
        path = Path(arg.split("=", 1)[1])
        with path.open(encoding="utf-8", newline="") as f:
            out[path.name] = list(csv.reader(f))
    return out


def test_rows_are_grouped_by_signature_with_typed_headers(tmp_path: Path) -> None:
    writer = CsvWriter(tmp_path / "csv")
    writer.node("Person|a", ["Person"], {"key": "a", "name": '王"五"', "age": 3, "score": 0.5, "ok": True,
                                         "regions": ["CQ", "SC"], "gender": None})
    writer.node("Person|b", ["Person"], {"key": "b", "name": "李四", "age": "3"})  # a string age: another file
    writer.rel("Person|a", "Person|b", "KNOWS", {"fid": "", "sources": []})
    files = _files(tmp_path, writer)
    assert files["nodes-0000.csv"] == [
        [":ID", ":LABEL", "age:long", "key:string", "name:string", "ok:boolean", "regions:string[]", "score:double"],
        ["Person|a", "Person", "3", "a", '王"五"', "true", f"CQ{ARRAY_DELIMITER}SC", "0.5"]]
    assert files["nodes-0001.csv"] == [[":ID", ":LABEL", "age:string", "key:string", "name:string"],
                                       ["Person|b", "Person", "3", "b", "李四"]]
    # An empty list is no CSV value: named in bulk_empty for bulk_empty_rel_lists.cypher to set.
    assert files["relationships-0000.csv"] == [
        [":START_ID", ":END_ID", ":TYPE", f"{EMPTY_LISTS}:string[]", "fid:string"],
        ["Person|a", "Person|b", "KNOWS", "sources", ""]]
    assert writer.empty_lists and writer.empty_rel_lists and not writer.empty_node_lists and not writer.multiline
    assert (writer.node_count, writer.rel_count) == (2, 1)


def test_a_line_break_asks_for_multiline_fields_and_bad_values_are_refused(tmp_path: Path) -> None:
    writer = CsvWriter(tmp_path / "csv")
    writer.node("Document|d", ["Document"], {"key": "d", "text": "一\n二"})
    assert _files(tmp_path, writer)["nodes-0000.csv"][1] == ["Document|d", "Document", "d", "一\n二"]
    assert writer.multiline  # known once the files are written
    with pytest.raises(ImportValueError, match="mixes"):
        writer.node("X|1", ["X"], {"key": "1", "values": ["a", 1]})
    with pytest.raises(ImportValueError, match="delimiter"):
        writer.node("X|2", ["X"], {"key": f"a{ARRAY_DELIMITER}b"})
    with pytest.raises(ImportValueError, match="cannot be imported"):
        writer.node("X|3", ["X"], {"key": "3", "blob": b"bytes"})


def test_quotes_braces_and_delimiters_in_values_are_written_as_the_values_are(tmp_path: Path) -> None:
    """Rows of one shape take the quick template unless a value brings quotes; either way the same fields."""
    writer = CsvWriter(tmp_path / "csv")
    rows = [("a", {"key": "a", "name": "{0}", "sources": ["d1", "d2", "d3"], "amount": 1.5, "n": 2}),
            ("b", {"key": "b", "name": '"引号"', "sources": ['d"4', "d5"], "amount": 2.0, "n": 3}),
            ('c"', {"key": 'c"', "name": "", "sources": ["d6"], "amount": -0.5, "n": -1})]
    for key, props in rows:
        writer.node(f"Person|{key}", ["Person", "Suspect"], props)
    lines = _files(tmp_path, writer)["nodes-0000.csv"]
    d = ARRAY_DELIMITER
    assert lines[0] == [":ID", ":LABEL", "amount:double", "key:string", "n:long", "name:string", "sources:string[]"]
    assert lines[1:] == [
        ["Person|a", f"Person{d}Suspect", "1.5", "a", "2", "{0}", f"d1{d}d2{d}d3"],
        ["Person|b", f"Person{d}Suspect", "2.0", "b", "3", '"引号"', f'd"4{d}d5'],
        ['Person|c"', f"Person{d}Suspect", "-0.5", 'c"', "-1", "", "d6"]]
    assert not writer.multiline
    with pytest.raises(ImportValueError, match="delimiter"):
        writer.node("Person|d", ["Person", "Suspect"], {"key": "d", "name": "x", "sources": [f"a{ARRAY_DELIMITER}b"],
                                                     "amount": 1.0, "n": 1})
