"""Rows of nodes and relationships as the CSV files Neo4j's importer reads (`database import full`).

The importer types a column once, in its header, while the transactional writer stores each value
with its own type (an int stays a long, a float a double, a missing value no property). So rows
are grouped by their signature (property names and value types) and each group gets a file with
its own header: the imported store then holds exactly what `MERGE … SET` would have written.
A missing value is an unquoted empty field (no property); an empty string is `""`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import neo4j.time

# Between array elements: a control character no case file's text carries (checked per value).
ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_OPTION = "U+001F"
EMPTY_LISTS = "bulk_empty"


class ImportValueError(ValueError):
    """A value the importer's CSV cannot carry as the transactional writer would store it."""


def _scalar_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, neo4j.time.DateTime | datetime):
        return "datetime"
    if isinstance(value, neo4j.time.Date | date):
        return "date"
    raise ImportValueError(f"a {type(value).__name__} property cannot be imported")


def value_type(value: Any) -> str:
    if isinstance(value, list | tuple):
        if not value:
            raise ImportValueError("an empty list has no element type")  # callers keep these aside
        types = {_scalar_type(v) for v in value}
        if len(types) != 1:
            raise ImportValueError(f"a list mixes {sorted(types)}")
        return f"{types.pop()}[]"
    return _scalar_type(value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, neo4j.time.DateTime | neo4j.time.Date | datetime | date):
        return value.isoformat()
    text = str(value)
    if ARRAY_DELIMITER in text:
        raise ImportValueError("a value holds the importer's array delimiter (U+001F)")
    return text


def _field(value: Any) -> str:
    if value is None:
        return ""
    value = ARRAY_DELIMITER.join(_text(v) for v in value) if isinstance(value, list | tuple) else _text(value)
    return '"' + value.replace('"', '""') + '"'


def _string_field(value: str) -> str:
    """`_field` of a plain string, the most common value, without the type dispatch."""
    if ARRAY_DELIMITER in value:
        raise ImportValueError("a value holds the importer's array delimiter (U+001F)")
    return '"' + value.replace('"', '""') + '"'


def _list_field(value: list[Any]) -> str:
    if all(v.__class__ is str for v in value):
        for v in value:
            if ARRAY_DELIMITER in v:
                raise ImportValueError("a value holds the importer's array delimiter (U+001F)")
        return '"' + ARRAY_DELIMITER.join(value).replace('"', '""') + '"'
    value_type(value)  # one element type, or ImportValueError
    return _field(value)


def _number_field(value: int | float) -> str:
    return repr(value)  # digits, a sign, a point or an exponent: nothing to quote


def _shape(props: dict[str, Any]) -> tuple[Any, ...]:
    """What decides a row's file and how its fields are written: the property names and the Python
    type of each value, with a list's first element's (None for an empty list)."""
    values = props.values()
    kinds = tuple(map(type, values))
    if list not in kinds and tuple not in kinds:
        return tuple(props), kinds
    return tuple(props), kinds, tuple((list, v[0].__class__ if v else None) for v in values
                                      if v.__class__ is list or v.__class__ is tuple)


@dataclass
class _Group:
    header: list[str]
    lines: list[str] = field(default_factory=list)


@dataclass
class _Plan:
    """For one row shape: its group, and the properties in the header's order, each with its field
    writer; `bulk_empty` (the names of the empty lists: a CSV field cannot tell an empty list from a
    missing value, bulk_empty_lists.cypher sets them after the import) as a constant field."""

    group: _Group
    fields: list[tuple[str | None, Any]]  # (name, writer), or (None, the constant field)


@dataclass
class CsvWriter:
    """Node and relationship rows, grouped by signature, written out as one file per group.

    The signature (names and importer types) of a row is worked out once per row shape (`_shape`), not
    per row: a load writes hundreds of thousands of rows of a few dozen shapes."""

    folder: Path
    nodes: dict[tuple[Any, ...], _Group] = field(default_factory=dict)
    rels: dict[tuple[Any, ...], _Group] = field(default_factory=dict)
    node_count: int = 0
    multiline: bool = False  # a value holds a line break: the importer must parse fields across lines
    rel_count: int = 0
    empty_lists: bool = False  # some node or relationship has an empty list property
    _plans: dict[tuple[Any, ...], _Plan] = field(default_factory=dict)
    _ids: dict[str, str] = field(default_factory=dict)

    def _plan(self, kind: str, head: str, shape: tuple[Any, ...], props: dict[str, Any]) -> _Plan:
        plan = self._plans.get((kind, head, shape))
        if plan is not None:
            return plan
        present = {name: value for name, value in props.items() if value is not None}
        empty = [name for name, value in present.items() if isinstance(value, list | tuple) and not value]
        typed = {name: value_type(value) for name, value in present.items() if name not in empty}
        if empty:
            self.empty_lists = True
            typed[EMPTY_LISTS] = "string[]"
        sig = tuple(sorted(typed.items()))
        groups = self.nodes if kind == "node" else self.rels
        group = groups.get((head, sig))
        if group is None:
            ids = [":ID", ":LABEL"] if kind == "node" else [":START_ID", ":END_ID", ":TYPE"]
            group = groups[(head, sig)] = _Group(ids + [f"{name}:{value_kind}" for name, value_kind in sig])
        fields: list[tuple[str | None, Any]] = [
            (None, _field(empty)) if name == EMPTY_LISTS
            else (name, _list_field if value_kind.endswith("[]") else _string_field if value_kind == "string"
                  else _number_field if value_kind in ("long", "double") else _field)
            for name, value_kind in sig]
        plan = self._plans[(kind, head, shape)] = _Plan(group, fields)
        return plan

    def _line(self, plan: _Plan, ids: list[str], props: dict[str, Any]) -> None:
        line = ",".join(ids + [write if name is None else write(props[name]) for name, write in plan.fields])
        if not self.multiline and ("\n" in line or "\r" in line):
            self.multiline = True
        plan.group.lines.append(line)

    def _quoted(self, text: str) -> str:
        """A node's id as a field, once per node: a document's is written once per mention of it."""
        quoted = self._ids.get(text)
        if quoted is None:
            quoted = self._ids[text] = _string_field(text)
        return quoted

    def node(self, ident: str, labels: Iterable[str], props: dict[str, Any]) -> None:
        label_text = ";".join(sorted(labels))
        plan = self._plan("node", label_text, _shape(props), props)
        self._line(plan, [self._quoted(ident), _field(label_text.split(";"))], props)
        self.node_count += 1

    def rel(self, start: str, end: str, rel_type: str, props: dict[str, Any]) -> None:
        plan = self._plan("rel", rel_type, _shape(props), props)
        self._line(plan, [self._quoted(start), self._quoted(end), self._quoted(rel_type)], props)
        self.rel_count += 1

    def write(self) -> list[str]:
        """Write the files; the importer's `--nodes=…`/`--relationships=…` arguments for them."""
        shutil.rmtree(self.folder, ignore_errors=True)  # an earlier, interrupted load's files
        self.folder.mkdir(parents=True)
        args: list[str] = []
        for kind, groups in (("nodes", self.nodes), ("relationships", self.rels)):
            for i, group in enumerate(groups.values()):
                path = self.folder / f"{kind}-{i:04d}.csv"
                with path.open("w", encoding="utf-8", newline="") as out:
                    out.write(",".join(group.header) + "\n")
                    out.write("".join(line + "\n" for line in group.lines))
                args.append(f"--{kind}={path}")
        return args
