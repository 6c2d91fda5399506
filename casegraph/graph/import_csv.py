"""Rows of nodes and relationships as the CSV files Neo4j's importer reads (`database import full`).

The importer types a column once, in its header, while the transactional writer stores each value
with its own type (an int stays a long, a float a double, a missing value no property). So rows
are grouped by their signature (property names and value types) and each group gets a file with
its own header: the imported store then holds exactly what `MERGE … SET` would have written.
A missing value is an unquoted empty field (no property); an empty string is `""`.
"""

from __future__ import annotations

import operator
import shutil
from collections.abc import Callable, Iterable
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


def _list_elements(props: dict[str, Any]) -> tuple[Any, ...]:
    """Each list's first element's type (None for an empty list): with the names and the values'
    types, what decides a row's file and how its fields are written."""
    return tuple(v[0].__class__ if v else None for v in props.values() if v.__class__ is list or v.__class__ is tuple)


@dataclass
class _Group:
    header: list[str]
    lines: list[str] = field(default_factory=list)


# A field's place in a plan's line template, by the importer type of its column: strings quoted,
# numbers bare; the other types (booleans, dates, lists) are turned into text first, then quoted.
_TEMPLATE = {"string": '"{}"', "long": "{}", "double": "{!r}"}


def _constant(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


@dataclass
class _Plan:
    """For one row shape: its group, and how its line is written.

    The quick way (`template`): the row's values in the header's order (`values`, one C call) put into
    a line template by `str.format` (another), after the few values that need it are turned into text
    (`convert`). The line is right as long as no value brought a quote or the array delimiter of its
    own, which two counts against the template's own (`quotes`, `delimiters`) tell; otherwise the line
    is written again field by field with quotes doubled (`fields`), which also refuses what the CSV
    cannot carry. `bulk_empty` (the names of the empty lists: a CSV field cannot tell an empty list
    from a missing value, bulk_empty_lists.cypher sets them after the import) is a constant field."""

    group: _Group
    lists: list[tuple[str, Any]]  # each list property and its first element's type (None: empty)
    lines: list[str]  # the group's
    head: list[str]  # the label or type field
    fields: list[tuple[str | None, Any]]  # (name, writer), or (None, the constant field)
    values: Callable[[dict[str, Any]], tuple[Any, ...]]
    convert: list[tuple[int, Callable[[Any], str]]]
    template: str
    quotes: int
    delimiters: int


def _plan_template(kind: str, head: str, sig: tuple[tuple[str, str], ...],
                   empty_field: str) -> tuple[list[str], str, list[tuple[int, Callable[[Any], str]]]]:
    """The names the values are read by, the line template and the conversions, for `_Plan`."""
    names: list[str] = []
    convert: list[tuple[int, Callable[[Any], str]]] = []
    parts = ['"{}"', _constant(head)] if kind == "node" else ['"{}"', '"{}"', _constant(head)]
    for name, value_kind in sig:
        if name == EMPTY_LISTS:
            parts.append(_constant(empty_field))
            continue
        if value_kind not in _TEMPLATE:
            convert.append((len(names), _text_of_list if value_kind.endswith("[]") else _text))
        parts.append(_TEMPLATE.get(value_kind, '"{}"'))
        names.append(name)
    return names, ",".join(parts), convert


def _text_of_list(value: list[Any]) -> str:
    """The elements between array delimiters; one in an element shows in the line's count."""
    try:
        return ARRAY_DELIMITER.join(value)
    except TypeError:  # not strings
        return ARRAY_DELIMITER.join(map(_text, value))


def _getter(names: list[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    if len(names) == 1:
        name = names[0]
        return lambda props: (props[name],)
    if not names:
        return lambda props: ()
    return operator.itemgetter(*names)


@dataclass
class CsvWriter:
    """Node and relationship rows, grouped by signature, written out as one file per group.

    The signature (names and importer types) of a row is worked out once per row shape (`_plan_for`), not
    per row: a load writes hundreds of thousands of rows of a few dozen shapes."""

    folder: Path
    nodes: dict[tuple[Any, ...], _Group] = field(default_factory=dict)
    rels: dict[tuple[Any, ...], _Group] = field(default_factory=dict)
    node_count: int = 0
    multiline: bool = False  # a value holds a line break: the importer must parse fields across lines
    rel_count: int = 0
    empty_lists: bool = False  # some node or relationship has an empty list property
    empty_node_lists: bool = False  # some node has one (each kind's pass after the import scans all of that kind)
    empty_rel_lists: bool = False  # some relationship has one
    _plans: dict[tuple[Any, ...], _Plan] = field(default_factory=dict)

    def _plan_for(self, kind: str, head: str, props: dict[str, Any]) -> _Plan:
        """The plan of a row's shape: its names and values' types, and its lists' elements' types
        (checked against the plan rather than hashed, since most rows fit their plan)."""
        key = (kind, head, tuple(props), tuple(map(type, props.values())))
        plan = self._plans.get(key)
        if plan is not None:
            for name, element in plan.lists:
                value = props[name]
                if (value[0].__class__ if value else None) is not element:
                    break
            else:
                return plan
        full = (*key, _list_elements(props))
        plan = self._plans.get(full)
        if plan is None:
            plan = self._plans[full] = self._plan(kind, head, props)
            self._plans.setdefault(key, plan)
        return plan

    def _plan(self, kind: str, head: str, props: dict[str, Any]) -> _Plan:
        present = {name: value for name, value in props.items() if value is not None}
        empty = [name for name, value in present.items() if isinstance(value, list | tuple) and not value]
        typed = {name: value_type(value) for name, value in present.items() if name not in empty}
        if empty:
            self.empty_lists = True
            if kind == "node":
                self.empty_node_lists = True
            else:
                self.empty_rel_lists = True
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
        head_field = _field(head.split(";")) if kind == "node" else _string_field(head)
        names, template, convert = _plan_template(kind, head_field, sig, _field(empty))
        constants = template.replace("{}", "").replace("{!r}", "")
        lists = [(name, value[0].__class__ if value else None) for name, value in props.items()
                 if value.__class__ is list or value.__class__ is tuple]
        return _Plan(group, lists, group.lines, [head_field], fields, _getter(names), convert, template,
                     constants.count('"'), constants.count(ARRAY_DELIMITER))

    def _line(self, plan: _Plan, ids: tuple[str, ...], props: dict[str, Any]) -> None:
        values: Any = plan.values(props)
        delimiters = plan.delimiters
        if plan.convert:
            values = list(values)
            for i, text in plan.convert:
                value = values[i]
                if text is _text_of_list:
                    delimiters += len(value) - 1
                values[i] = text(value)
        line = plan.template.format(*ids, *values)
        if line.count('"') != plan.quotes or line.count(ARRAY_DELIMITER) != delimiters:
            line = self._escaped_line(plan, ids, props)
        plan.lines.append(line)

    def _escaped_line(self, plan: _Plan, ids: tuple[str, ...], props: dict[str, Any]) -> str:
        """The line field by field: a value brought quotes (doubled here), list elements or the array
        delimiter (refused), so the template's counts did not match."""
        quoted = [_string_field(ident) for ident in ids]
        return ",".join(quoted + plan.head + [write if name is None else write(props[name])
                                             for name, write in plan.fields])

    def node(self, ident: str, labels: Iterable[str], props: dict[str, Any]) -> None:
        self._line(self._plan_for("node", ";".join(sorted(labels)), props), (ident,), props)
        self.node_count += 1

    def rel(self, start: str, end: str, rel_type: str, props: dict[str, Any]) -> None:
        self._line(self._plan_for("rel", rel_type, props), (start, end), props)
        self.rel_count += 1

    def write(self) -> list[str]:
        """Write the files; the importer's `--nodes=…`/`--relationships=…` arguments for them."""
        shutil.rmtree(self.folder, ignore_errors=True)  # an earlier, interrupted load's files
        self.folder.mkdir(parents=True)
        args: list[str] = []
        for kind, groups in (("nodes", self.nodes), ("relationships", self.rels)):
            for i, group in enumerate(groups.values()):
                path = self.folder / f"{kind}-{i:04d}.csv"
                body = "\n".join(group.lines)
                # A line break inside a value: the importer must then read fields across lines.
                self.multiline = self.multiline or "\r" in body or body.count("\n") != len(group.lines) - 1
                with path.open("w", encoding="utf-8", newline="") as out:
                    out.write(",".join(group.header) + "\n")
                    out.write(body + "\n")
                args.append(f"--{kind}={path}")
        return args
