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


@dataclass
class _Group:
    header: list[str]
    names: list[str]
    lines: list[str] = field(default_factory=list)


@dataclass
class CsvWriter:
    """Node and relationship rows, grouped by signature, written out as one file per group."""

    folder: Path
    nodes: dict[tuple[Any, ...], _Group] = field(default_factory=dict)
    rels: dict[tuple[Any, ...], _Group] = field(default_factory=dict)
    node_count: int = 0
    multiline: bool = False  # a value holds a line break: the importer must parse fields across lines
    rel_count: int = 0
    empty_lists: bool = False  # some node or relationship has an empty list property

    @staticmethod
    def _signature(props: dict[str, Any]) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((name, value_type(value)) for name, value in props.items() if value is not None))

    def _empty_lists_aside(self, props: dict[str, Any]) -> dict[str, Any]:
        """A CSV field cannot tell an empty list from a missing value: such properties are named in
        `bulk_empty` and set after the import (bulk_empty_lists.cypher)."""
        empty = [name for name, value in props.items() if isinstance(value, list | tuple) and not value]
        if not empty:
            return props
        self.empty_lists = True
        return {k: v for k, v in props.items() if k not in empty} | {EMPTY_LISTS: empty}

    def node(self, ident: str, labels: Iterable[str], props: dict[str, Any]) -> None:
        label_text = ";".join(sorted(labels))
        props = self._empty_lists_aside(props)
        sig = self._signature(props)
        group = self.nodes.get((label_text, sig))
        if group is None:
            header = [":ID", ":LABEL"] + [f"{name}:{kind}" for name, kind in sig]
            group = self.nodes[(label_text, sig)] = _Group(header, [name for name, _ in sig])
        group.lines.append(",".join([_field(ident), _field(label_text.split(";"))]
                                    + [_field(props[name]) for name in group.names]))
        self.node_count += 1

    def rel(self, start: str, end: str, rel_type: str, props: dict[str, Any]) -> None:
        props = self._empty_lists_aside(props)
        sig = self._signature(props)
        group = self.rels.get((rel_type, sig))
        if group is None:
            header = [":START_ID", ":END_ID", ":TYPE"] + [f"{name}:{kind}" for name, kind in sig]
            group = self.rels[(rel_type, sig)] = _Group(header, [name for name, _ in sig])
        group.lines.append(",".join([_field(start), _field(end), _field(rel_type)]
                                    + [_field(props[name]) for name in group.names]))
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
                    for line in group.lines:
                        self.multiline = self.multiline or "\n" in line or "\r" in line
                        out.write(line + "\n")
                args.append(f"--{kind}={path}")
        return args
