"""The projection that ring detection reads: a networkx `MultiDiGraph` of entities and facts.

Format (every builder here produces exactly this; `casegraph.detect` relies on nothing else):

Nodes are keyed by the DESIGN.md canonical key: ``ric:<18>``, ``name:<name>|dob:<date>``,
``uscc:<18>``, ``name:<org name>``, ``acct:<digits>``, ``phone:<11>``, ``addr:<text>``,
``case:<agency>:<number>``. Node attributes:

- ``type``: ``Person``, ``Organization``, ``Account``, ``Phone``, ``Address`` or ``Case``;
- ``name`` (Person/Organization), ``number`` (Account/Phone/Case) or ``text`` (Address);
- ``regions``: list of region codes (``"CQ"``, ``"SC"``, …), possibly empty;
- ``agencies``: ids of the agencies whose documents mention the node;
- ``cases``: case keys the node is linked to.

The four node lists (with ``sources`` below) are read-only as the edges' ``sources`` are: nodes
read by `from_neo4j` with the same regions or the same visible sources share one list object, so
a caller that wants to change one assigns a new list; no detector in `casegraph.detect` and
nothing in `casegraph.api` changes them (they read, sort into new lists or copy).

Edges point the way DESIGN.md draws them (Person → Organization for LEGAL_REP_OF, Account →
Account for TRANSFERRED, …). Edge attributes:

- ``type``: ``HOLDS``, ``USES``, ``LOCATED_AT``, ``LEGAL_REP_OF``, ``SHAREHOLDER_OF``, ``CONTROLS``,
  ``EMPLOYED_BY``, ``TRANSFERRED`` or ``ROLE_IN``;
- ``sources``: list of document keys (``doc:<sha256>``) or ledger rows (``<path>#row<n>``).
  Read-only: edges read by `from_neo4j` with the same visible sources share one list object (one
  per distinct set instead of a copy per fact), so a caller that wants to change an edge's sources
  assigns a new list; no detector in `casegraph.detect` changes them (they read or copy them);
- TRANSFERRED only: ``amount`` (float yuan), ``at`` (float epoch seconds, converted once here
  from the ISO timestamp so detection compares numbers), ``tx_id`` (str or None), ``memo``
  (str or None);
- ROLE_IN only: ``role``.

Builders: `from_records` (iterables of plain dicts, the shape the Neo4j stream yields),
`from_ledgers` (CSV/XLSX statements, no database) and `from_neo4j` (the graph, within what one
agency may see). Nodes read from Neo4j also carry ``sources`` (their visible documents).
"""

from __future__ import annotations

import gc
import sys
import time
import weakref
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import networkx as nx
from neo4j import Driver
from neo4j.exceptions import ClientError, Neo4jError

from casegraph.graph.ledgers import CHINA_TZ, FlowRow, read_ledger_flows
from casegraph.graph.queries import cypher
from casegraph.graph.transfer_identity import SameDayCounter, beijing_day, cents, pair_late_credits
from casegraph.ingest.readers.account_opening import links_for

__all__ = [
    "EDGE_TYPES",
    "NODE_TYPES",
    "ProjectionError",
    "ReadStats",
    "account_key",
    "epoch_or_none",
    "fill_missing_node_attrs",
    "from_ledgers",
    "from_neo4j",
    "from_records",
    "node_type_of_key",
    "to_epoch",
]

NODE_TYPES = frozenset({"Person", "Organization", "Account", "Phone", "Address", "Case"})
EDGE_TYPES = frozenset({"HOLDS", "USES", "LOCATED_AT", "LEGAL_REP_OF", "SHAREHOLDER_OF", "CONTROLS",
                        "EMPLOYED_BY", "TRANSFERRED", "ROLE_IN"})
_PREFIX_TYPES = {"ric": "Person", "uscc": "Organization", "acct": "Account", "phone": "Phone",
                 "addr": "Address", "case": "Case", "mention": "Person"}


class ProjectionError(ValueError):
    """A record that does not fit the projection format; the message names the record."""


def node_type_of_key(key: str) -> str | None:
    """The node type a canonical key implies (``name:`` keys are persons only with ``|dob:``)."""
    prefix = key.split(":", 1)[0]
    if prefix == "name":
        return "Person" if "|dob:" in key else "Organization"
    return _PREFIX_TYPES.get(prefix)


def account_key(number: str) -> str:
    return f"acct:{number}"


def to_epoch(value: object) -> float:
    """ISO timestamp (naive means Beijing time), datetime or number -> epoch seconds."""
    if isinstance(value, (int, float)):
        return float(value)
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA_TZ)
    return moment.timestamp()


def _as_list(value: object) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    return [value]


def from_records(nodes: Iterable[Mapping[str, Any]], edges: Iterable[Mapping[str, Any]],
                 graph: nx.MultiDiGraph | None = None) -> nx.MultiDiGraph:
    """Build (or extend) the projection from plain dicts.

    A node record is ``{"key", "type", ...attributes}``; an edge record is ``{"from", "to",
    "type", "sources", ...}`` with ``amount``, ``at`` (ISO string or epoch) and ``tx_id`` on
    TRANSFERRED. Endpoints that have no node record get their type from the key prefix. The
    edge dicts are taken over as the edges' attribute dicts (``from``/``to`` popped), not copied:
    pass fresh dicts. Edges go straight into the graph's adjacency dicts (see `_add_edge`).
    """
    with _gc_paused():
        return _build_from_records(nodes, edges, nx.MultiDiGraph() if graph is None else graph)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of dicts are allocated.

    Bulk building allocates only acyclic containers, yet each allocation burst triggers full
    collections that rescan everything built so far; pausing them makes the build ~1.6x faster.
    On the way out the new objects go straight to the oldest generation (`_promote_to_oldest`).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        _promote_to_oldest()
        if was_enabled:
            gc.enable()


def _promote_to_oldest() -> None:
    """Move every tracked object into the oldest generation without a collection.

    Everything allocated while the collector was paused sits in the youngest generation, so the
    first allocation after `gc.enable()` would start a young collection that traverses the whole
    new graph (1-2 s for the 1.66 M transfers of the large corpus), then a middle and a full one
    would traverse it again. `freeze()` followed by `unfreeze()` splices the generation lists into
    the oldest one in constant time: the graph is then treated as long-lived data, collected (and
    freed when unreachable) by the next full collection like anything else. It is skipped when
    the process keeps objects frozen on purpose (the API freezes its start-up objects), since
    `unfreeze()` would release those too.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def _build_from_records(nodes: Iterable[Mapping[str, Any]], edges: Iterable[Mapping[str, Any]],
                        g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    node_rows: list[tuple[str, dict[str, Any]]] = []
    for record in nodes:
        attrs = dict(record)
        key = attrs.pop("key", None)
        if not key:
            raise ProjectionError(f"node record without key: {record!r}")
        node_type = attrs.get("type") or node_type_of_key(key)
        if node_type not in NODE_TYPES:
            raise ProjectionError(f"node {key!r} has unknown type {node_type!r}")
        attrs["type"] = node_type
        for name in ("regions", "agencies", "cases"):
            attrs[name] = _as_list(attrs.get(name))
        node_rows.append((key, attrs))
    g.add_nodes_from(node_rows)

    edge_types, transferred = EDGE_TYPES, "TRANSFERRED"
    succ, pred, node = g._succ, g._pred, g._node
    for record in edges:
        # The record dict itself becomes the edge's attribute dict: no copy per edge.
        attrs = record if isinstance(record, dict) else dict(record)
        try:
            source, target, edge_type = attrs.pop("from"), attrs.pop("to"), attrs["type"]
        except KeyError as exc:
            raise ProjectionError(f"edge record misses {exc.args[0]!r}: {record!r}") from None
        if edge_type not in edge_types:
            raise ProjectionError(f"edge {source}->{target} has unknown type {edge_type!r}")
        if not isinstance(attrs.get("sources"), list):
            attrs["sources"] = _as_list(attrs.get("sources"))
        if edge_type == transferred:
            _check_transfer(source, target, attrs)
        # Inlined `_add_edge`: this loop runs once per relationship.
        out = succ.get(source)
        if out is None:
            out = succ[source] = {}
            pred[source] = {}
            node[source] = {}
        if target not in succ:
            succ[target] = {}
            pred[target] = {}
            node[target] = {}
        keydict = out.get(target)
        if keydict is None:
            out[target] = pred[target][source] = {0: attrs}
        else:
            key = len(keydict)
            while key in keydict:
                key += 1
            keydict[key] = attrs
    nx._clear_cache(g)
    fill_missing_node_attrs(g)
    return g


def _check_transfer(source: str, target: str, attrs: dict[str, Any]) -> None:
    at, amount = attrs.get("at"), attrs.get("amount")
    if at is None or amount is None:
        raise ProjectionError(f"TRANSFERRED edge {source}->{target} needs amount and at")
    if type(at) is not float:
        attrs["at"] = to_epoch(at)
    if type(amount) is not float:
        attrs["amount"] = float(amount)
    if "tx_id" not in attrs:
        attrs["tx_id"] = None


def _add_edge(succ: dict[Any, Any], pred: dict[Any, Any], node: dict[Any, Any], source: str, target: str,
              attrs: dict[str, Any]) -> None:
    """`MultiDiGraph.add_edge` without its per-call overhead (same structures, same key rule).

    networkx's own add_edges_from runs at ~50k edges/s here; writing the adjacency dicts the way
    it does is several times faster, which is what lets the projection keep up with Neo4j.
    """
    out = succ.get(source)
    if out is None:
        out = succ[source] = {}
        pred[source] = {}
        node[source] = {}
    if target not in succ:
        succ[target] = {}
        pred[target] = {}
        node[target] = {}
    _link(succ[source], pred[target], source, target, attrs)


def fill_missing_node_attrs(g: nx.MultiDiGraph) -> None:
    for key, attrs in g.nodes(data=True):
        if "type" in attrs:
            continue
        node_type = node_type_of_key(str(key))
        if node_type is None:
            raise ProjectionError(f"edge endpoint {key!r} has no node record and no known key prefix")
        attrs["type"] = node_type
        attrs["regions"], attrs["agencies"], attrs["cases"] = [], [], []
        if node_type in ("Account", "Phone"):
            attrs["number"] = str(key).split(":", 1)[1]


def from_ledgers(paths: Sequence[str | Path], columns: dict[str, str] | None = None) -> nx.MultiDiGraph:
    """Build the projection from bank statements alone: Account nodes and TRANSFERRED edges.

    A transfer between two accounts that both have statements appears twice; it is counted once,
    matched by payer, payee, amount, day and its order among equal ones that day
    (`transfer_identity`: banks' serials differ between the two statements), or, for a credit the
    payee's bank booked a few days after the debit, by `transfer_identity.pair_late_credits`.
    Both statement rows are kept in ``sources``. `columns` is an explicit mapping
    (``{"from", "to", "amount", "time"}`` -> column names) that replaces header detection.
    """
    with _gc_paused():
        return _build_from_ledgers(paths, columns)


def _statement_flows(paths: Sequence[str | Path], columns: dict[str, str] | None
                     ) -> Iterator[tuple[str, FlowRow, Callable[[str, str, float, int, str], int]]]:
    links = links_for(Path(p) for p in paths)  # one opening record serves every statement naming its card
    for path in paths:
        counter = SameDayCounter(days_kept=None)  # one per file read: a file given twice is read twice
        for source, flow in read_ledger_flows([path], columns, links):
            yield source, flow, counter.nth


def _build_from_ledgers(paths: Sequence[str | Path], columns: dict[str, str] | None) -> nx.MultiDiGraph:
    seen: dict[tuple[str, str, int, int, int], int] = {}  # identity -> position in `edges`
    edges: list[tuple[str, str, dict[str, Any]]] = []
    sides = bytearray()  # per edge: which statements listed it (_PAYER_SIDE | _PAYEE_SIDE | _TABLE_SIDE)
    for path, (payer, payee, amount, at, tx_id, _name, memo, line, own), nth in _statement_flows(paths, columns):
        if not payer or not payee:
            continue  # cash deposits/withdrawals have no counter account: not a transfer
        day = beijing_day(at)
        dedupe_key = (payer, payee, cents(amount), day, nth(payer, payee, amount, day, own))
        side = _PAYER_SIDE if own == payer else _PAYEE_SIDE if own == payee else _TABLE_SIDE
        source = f"{path}#row{line}"
        known = seen.get(dedupe_key)
        if known is not None:
            edges[known][2]["sources"].append(source)
            sides[known] |= side
            continue
        attrs = {"type": "TRANSFERRED", "sources": [source], "amount": amount, "at": at,
                 "tx_id": tx_id, "memo": memo}
        seen[dedupe_key] = len(edges)
        edges.append(("acct:" + payer, "acct:" + payee, attrs))
        sides.append(side)
    dropped = _fold_late_credits(seen, sides, edges)
    g = nx.MultiDiGraph()
    for position, (payer_key, payee_key, attrs) in enumerate(edges):
        if position not in dropped:
            _add_edge(g._succ, g._pred, g._node, payer_key, payee_key, attrs)
    nx._clear_cache(g)
    fill_missing_node_attrs(g)
    return g


_PAYER_SIDE, _PAYEE_SIDE, _TABLE_SIDE = 1, 2, 4


def _fold_late_credits(seen: dict[tuple[str, str, int, int, int], int], sides: bytearray,
                       edges: list[tuple[str, str, dict[str, Any]]]) -> set[int]:
    """Join each credit the payee's bank booked a day or more after the payer's debit to that debit
    (`transfer_identity.pair_late_credits`): the debit keeps the transfer (its time is when the money
    left, whichever statement was read first), the credit's sources follow its own. Returns the
    positions of the rows folded away."""
    credits: dict[tuple[str, str, int], list[tuple[int, int]]] = {}
    for (payer, payee, amount, day, _nth), position in seen.items():
        if sides[position] == _PAYEE_SIDE:
            credits.setdefault((payer, payee, amount), []).append((day, position))
    if not credits:
        return set()
    debits: dict[tuple[str, str, int], list[tuple[int, int]]] = {}
    for (payer, payee, amount, day, _nth), position in seen.items():
        if sides[position] == _PAYER_SIDE and (payer, payee, amount) in credits:
            debits.setdefault((payer, payee, amount), []).append((day, position))
    dropped: set[int] = set()
    for kind, debit_rows in debits.items():
        credit_rows = credits[kind]
        for debit, credit in pair_late_credits(debit_rows, credit_rows):
            kept, folded = debit_rows[debit][1], credit_rows[credit][1]
            edges[kept][2]["sources"] = edges[kept][2]["sources"] + edges[folded][2]["sources"]
            dropped.add(folded)
    return dropped


# Fact types the projection reads, one query each: per-type queries let Neo4j scan one relationship
# type at a time and keep every column a plain scalar or a list of strings.
PROJECTED_RELS = ("HOLDS", "USES", "LOCATED_AT", "LEGAL_REP_OF", "SHAREHOLDER_OF", "CONTROLS", "EMPLOYED_BY",
                  "TRANSFERRED", "ROLE_IN")
PROJECTED_LABELS = ("Person", "Organization", "Account", "Phone", "Address", "Case")
_NAME_ATTR = {"Person": "name", "Organization": "name", "Account": "number", "Phone": "number",
              "Case": "number", "Address": "text"}
# Rows per Bolt record: the statements return facts as parallel lists of CHUNK rows, so the driver
# decodes a few long lists instead of one record per fact (the per-record cost dominated).
CHUNK = 4096
# Facts per record of casegraph.projection.stream: packed columns make a record cheap to decode,
# so larger chunks than the Cypher path's only cut the per-record overhead further.
PACKED_CHUNK = 16384
# Records per fetch: enough to keep the server streaming while the client builds.
FETCH_SIZE = 16


@dataclass
class ReadStats:
    """What `from_neo4j` read: counts and seconds, for the benchmark and the job's progress."""

    documents: int = 0
    nodes: int = 0
    relationships: int = 0
    dropped: int = 0
    incomplete_transfers: int = 0
    seconds: float = 0.0


def from_neo4j(driver: Driver, database: str, agency: str | None,
               stats: ReadStats | None = None, use_procedure: bool | None = None,
               transfers: bool = True) -> nx.MultiDiGraph:
    """Stream the projection out of Neo4j with what `agency` may see (None: everything, local admin).

    The visibility predicate of the team contract sits inside every statement (the
    projection_*.cypher files): an entity comes with its visible sources only, a fact only when one
    of its sources is visible, and only those sources are kept. For agency None (the local admin)
    the statements skip the predicate and keep every source as stored. Node ``agencies`` and
    ``cases`` are those of the visible documents that mention the node. A visible fact whose
    endpoint is not a visible entity (possible only when a writer left a node without ``sources``)
    is dropped and counted in `stats.dropped`; a TRANSFERRED without amount or a parseable time
    (read from prose) in `stats.incomplete_transfers`.

    Facts are read through the local server's ``casegraph.projection.stream`` procedure when the
    server has it (`use_procedure` None: asked once per driver), else with Cypher alone; both give
    the same graph. `transfers=False` leaves the TRANSFERRED facts out (the Spark engine's tasks
    read them, `detect.spark.neo4j_frames`).
    """
    rel_types = [t for t in PROJECTED_RELS if transfers or t != "TRANSFERRED"]
    stats = stats if stats is not None else ReadStats()
    started = time.perf_counter()
    if use_procedure is None:
        use_procedure = has_stream_procedure(driver, database)
    with _gc_paused(), driver.session(database=database, default_access_mode="READ",
                                      fetch_size=FETCH_SIZE) as session:
        doc_agency: dict[str, str] = {}
        doc_cases: dict[str, str] = {}
        for key, owner, case in session.run(cypher("projection_documents"), agency=agency):
            doc_agency[key] = owner
            if case is not None:
                doc_cases[key] = case
        stats.documents = len(doc_agency)
        g = nx.MultiDiGraph()
        if use_procedure:
            try:
                for label in PROJECTED_LABELS:
                    _add_packed_entities(g, label, session.run(cypher("projection_nodes_stream"), agency=agency,
                                                               label=label, chunk=PACKED_CHUNK), doc_agency, doc_cases)
            except ClientError as exc:
                if exc.code != _PROCEDURE_NOT_FOUND:
                    raise
                # As for the facts below: refused at planning, before any entity was read.
                _STREAM_PROCEDURE[driver] = use_procedure = False
                g = nx.MultiDiGraph()
        if not use_procedure:
            for label in PROJECTED_LABELS:
                rows = session.run(cypher("projection_nodes", label=label), agency=agency, chunk=CHUNK)
                _add_entities(g, label, rows, doc_agency, doc_cases)
        stats.nodes = g.number_of_nodes()
        if use_procedure:
            try:
                _read_packed(session.run(cypher("projection_stream"), agency=agency, types=rel_types,
                                         chunk=PACKED_CHUNK), g, stats)
            except ClientError as exc:
                if exc.code != _PROCEDURE_NOT_FOUND:
                    raise
                # The server was replaced by one without it since this driver asked (refused at
                # planning, before any fact was read): remember, and read with Cypher.
                _STREAM_PROCEDURE[driver] = use_procedure = False
        if not use_procedure:
            for rel_type in rel_types:
                if rel_type == "TRANSFERRED":
                    _read_transfers(session.run(cypher("projection_transfers"), agency=agency, chunk=CHUNK),
                                    g, stats)
                else:
                    _read_facts(rel_type, session.run(cypher("projection_rels", type=rel_type), agency=agency,
                                                      chunk=CHUNK), g, stats)
        nx._clear_cache(g)
    stats.seconds = time.perf_counter() - started
    return g


_PROCEDURE_NOT_FOUND = "Neo.ClientError.Procedure.ProcedureNotFound"
# driver -> whether its server has casegraph.projection.stream and .nodes; asked once per driver.
_STREAM_PROCEDURE: weakref.WeakKeyDictionary[Driver, bool] = weakref.WeakKeyDictionary()


def has_stream_procedure(driver: Driver, database: str) -> bool:
    """Whether the server offers casegraph.projection.stream and casegraph.projection.nodes (the
    local server does since its launcher registers them; a server started before that needs
    `casegraph db stop && db start`)."""
    known = _STREAM_PROCEDURE.get(driver)
    if known is None:
        try:
            records = driver.execute_query(cypher("projection_stream_available"), database_=database,
                                           routing_="r").records
            known = bool(records and records[0]["n"])
        except Neo4jError:  # e.g. a server that denies SHOW PROCEDURES: read with Cypher only
            known = False
        _STREAM_PROCEDURE[driver] = known
    return known


def _ints(packed: bytes) -> array[int]:
    """int32 little-endian values as the procedure packs them."""
    values = array("i", packed)
    if sys.byteorder != "little":
        values.byteswap()
    return values


def _floats(packed: bytes) -> list[float]:
    values = array("d", packed)
    if sys.byteorder != "little":
        values.byteswap()
    return values.tolist()


def _read_packed(chunks: Iterable[Sequence[Any]], g: nx.MultiDiGraph, stats: ReadStats) -> None:
    """Facts from casegraph.projection.stream (format in LocalNeo4j.java's ProjectionStream): node
    keys and source lists come as tables that grow chunk by chunk, facts as positions in them.

    Beside the key table the loop keeps each key's successor and predecessor dicts of networkx's
    adjacency (`g._succ[key]`, `g._pred[key]`; None for a key that is not a visible entity), so a
    fact costs two list look-ups instead of two membership tests and two dict look-ups. This relies
    on networkx keeping one adjacency dict per node for the graph's lifetime, which holds as long as
    no node is removed while the facts are read (none is: entities are all added before).
    """
    tables = _KeyTables(g)
    source_sets: list[list[str]] = []
    for (rel_type, new_keys, new_sets, ends, roles, amounts, times, tx_ids, memos,
         raw_index, raw_times) in chunks:
        tables.extend(new_keys)
        source_sets.extend(new_sets)
        roles, tx_ids, memos = _texts(roles), _texts(tx_ids), _texts(memos)
        positions = _ints(ends)
        froms, tos, sets = positions[0::3], positions[1::3], positions[2::3]
        if rel_type == "TRANSFERRED":
            epochs = _floats(times)
            for at_index, raw in zip(_ints(raw_index), raw_times, strict=True):
                # A form the server does not parse: the client's own rule decides, as on the Cypher path.
                epoch = epoch_or_none(raw)
                epochs[at_index] = _NAN if epoch is None else epoch
            _add_packed_transfers(tables, source_sets, froms, tos, sets, _floats(amounts), epochs, tx_ids, memos,
                                  stats)
        else:
            _add_packed_facts(tables, source_sets, rel_type, froms, tos, sets, roles, stats)


def _texts(packed: str | list[str]) -> list[str]:
    """Per-fact strings as the procedure sends them: joined by NUL, or a list when one holds a NUL."""
    return packed.split("\x00") if isinstance(packed, str) else packed


class _KeyTables:
    """The call's node-key table with each key's adjacency dicts beside it (see `_read_packed`)."""

    def __init__(self, g: nx.MultiDiGraph) -> None:
        self._succ, self._pred = g._succ, g._pred
        self.keys: list[str] = []
        self.outs: list[dict[str, Any] | None] = []
        self.ins: list[dict[str, Any] | None] = []

    def extend(self, new_keys: list[str]) -> None:
        self.keys.extend(new_keys)
        self.outs.extend([self._succ.get(key) for key in new_keys])
        self.ins.extend([self._pred.get(key) for key in new_keys])


_NAN = float("nan")


def _add_packed_facts(tables: _KeyTables, source_sets: list[list[str]], rel_type: str, froms: Sequence[int],
                      tos: Sequence[int], sets: Sequence[int], roles: list[str], stats: ReadStats) -> None:
    keys, outs, ins = tables.keys, tables.outs, tables.ins
    added = 0
    for source_at, target_at, set_at, role in zip(froms, tos, sets, roles, strict=True):
        out, into = outs[source_at], ins[target_at]
        if out is None or into is None:
            stats.dropped += 1
            continue
        attrs: dict[str, Any] = {"type": rel_type, "sources": source_sets[set_at]}
        if role:
            attrs["role"] = role
        _link(out, into, keys[source_at], keys[target_at], attrs)
        added += 1
    stats.relationships += added


def _add_packed_transfers(tables: _KeyTables, source_sets: list[list[str]], froms: Sequence[int],
                          tos: Sequence[int], sets: Sequence[int], amounts: list[float], epochs: list[float],
                          tx_ids: list[str], memos: list[str], stats: ReadStats) -> None:
    keys, outs, ins = tables.keys, tables.outs, tables.ins
    added = 0
    for source_at, target_at, set_at, amount, at, tx_id, memo in zip(
            froms, tos, sets, amounts, epochs, tx_ids, memos, strict=True):
        out, into = outs[source_at], ins[target_at]
        if out is None or into is None:
            stats.dropped += 1
            continue
        if at != at or amount != amount:  # NaN: none stored, or not a time (see _read_transfers)
            stats.incomplete_transfers += 1
            continue
        attrs = {"type": "TRANSFERRED", "sources": source_sets[set_at], "amount": amount, "at": at,
                 "tx_id": tx_id or None, "memo": memo or None}
        # `_link` inlined: this loop runs once per transfer, millions of times on a large graph.
        target = keys[target_at]
        keydict = out.get(target)
        if keydict is None:
            out[target] = into[keys[source_at]] = {0: attrs}
        else:
            key = len(keydict)
            while key in keydict:
                key += 1
            keydict[key] = attrs
        added += 1
    stats.relationships += added


def _link(out: dict[str, Any], into: dict[str, Any], source: str, target: str, attrs: dict[str, Any]) -> None:
    """One more edge given the source's successor dict and the target's predecessor dict, keyed as
    `MultiDiGraph.add_edge` keys it (the lowest free integer from the number of parallel edges)."""
    keydict = out.get(target)
    if keydict is None:
        out[target] = into[source] = {0: attrs}
        return
    key = len(keydict)
    while key in keydict:
        key += 1
    keydict[key] = attrs


def _add_entities(g: nx.MultiDiGraph, label: str, chunks: Iterable[Sequence[Any]], doc_agency: dict[str, str],
                  doc_cases: dict[str, str]) -> None:
    """`add_nodes_from` for projection_nodes' chunks, writing networkx's node and adjacency dicts
    directly as `_add_edge` does (its per-node copy and update cost ~1/3 of reading 266,779
    accounts); a key seen again has its attributes updated, as add_nodes_from does.

    Agencies and cases are worked out per node: on a ledger corpus 85 % of the entities have a
    source set of their own, and a cache keyed by the set cost more than it saved."""
    name_attr = _NAME_ATTR[label]
    node, succ, pred = g._node, g._succ, g._pred
    agency_of, case_of = doc_agency.get, doc_cases.get
    for keys, names, regions_of, sources_of in chunks:
        for key, name, regions, sources in zip(keys, names, regions_of, sources_of, strict=True):
            if not key:
                continue
            _put_node(node, succ, pred, key, {
                "type": label, name_attr: name or None, "regions": regions, "agencies": _found(agency_of, sources),
                "cases": _found(case_of, sources), "sources": sources})


def _add_packed_entities(g: nx.MultiDiGraph, label: str, chunks: Iterable[Sequence[Any]],
                         doc_agency: dict[str, str], doc_cases: dict[str, str]) -> None:
    """`_add_entities` for casegraph.projection.nodes' chunks (format in LocalNeo4j.java's
    ProjectionNodes): regions and source lists come as tables that grow chunk by chunk, entities
    refer to them by position, so agencies and cases are worked out once per distinct source
    list, and the nodes with the same regions or the same visible sources share those lists."""
    name_attr = _NAME_ATTR[label]
    node, succ, pred = g._node, g._succ, g._pred
    agency_of, case_of = doc_agency.get, doc_cases.get
    region_sets: list[list[str]] = []
    source_sets: list[list[str]] = []
    set_agencies: list[list[str]] = []
    set_cases: list[list[str]] = []
    for keys, names, new_regions, regions_at, new_sets, sets_at in chunks:
        region_sets.extend(new_regions)
        source_sets.extend(new_sets)
        set_agencies.extend([_found(agency_of, s) for s in new_sets])
        set_cases.extend([_found(case_of, s) for s in new_sets])
        for key, name, region_at, set_at in zip(_texts(keys), _texts(names), _ints(regions_at), _ints(sets_at),
                                                strict=True):
            if not key:
                continue
            # Shared, not copied (read-only, see the module doc): four lists per node less.
            _put_node(node, succ, pred, key, {
                "type": label, name_attr: name or None, "regions": region_sets[region_at],
                "agencies": set_agencies[set_at], "cases": set_cases[set_at], "sources": source_sets[set_at]})


def _found(lookup: Callable[[str], str | None], sources: Iterable[str]) -> list[str]:
    """The distinct values `lookup` gives for the sources (an agency or case per document), sorted."""
    return sorted(set(filter(None, map(lookup, sources))))


def _put_node(node: dict[str, Any], succ: dict[str, Any], pred: dict[str, Any], key: str,
              attrs: dict[str, Any]) -> None:
    """`add_node` on networkx's dicts directly; a key seen again has its attributes updated, as
    add_nodes_from does."""
    known = node.get(key)
    if known is None:
        node[key] = attrs
        succ[key] = {}
        pred[key] = {}
    else:
        known.update(attrs)


def _read_facts(rel_type: str, chunks: Iterable[Sequence[Any]], g: nx.MultiDiGraph, stats: ReadStats) -> None:
    succ, pred, known = g._succ, g._pred, g._node
    for sources_from, targets, sources_of, roles in chunks:
        for source, target, sources, role in zip(sources_from, targets, sources_of, roles, strict=True):
            if source not in known or target not in known:
                stats.dropped += 1
                continue
            attrs: dict[str, Any] = {"type": rel_type, "sources": sources}
            if role:
                attrs["role"] = role
            _add_edge(succ, pred, known, source, target, attrs)
            stats.relationships += 1


def _read_transfers(chunks: Iterable[Sequence[Any]], g: nx.MultiDiGraph, stats: ReadStats) -> None:
    succ, pred, known = g._succ, g._pred, g._node
    for sources_from, targets, sources_of, amounts, times, tx_ids, memos in chunks:
        for source, target, sources, amount, at, tx_id, memo in zip(
                sources_from, targets, sources_of, amounts, times, tx_ids, memos, strict=True):
            if source not in known or target not in known:
                stats.dropped += 1
                continue
            epoch = epoch_or_none(at)
            if epoch is None or amount != amount:  # amount NaN: none stored
                # A transfer read from prose may lack its amount or a full date; money-flow
                # patterns need both, so it is left out (and counted), not guessed.
                stats.incomplete_transfers += 1
                continue
            _link(succ[source], pred[target], source, target, {
                "type": "TRANSFERRED", "sources": sources, "amount": amount, "at": epoch,
                "tx_id": tx_id or None, "memo": memo or None})
            stats.relationships += 1


_from_iso = datetime.fromisoformat


def epoch_or_none(value: object) -> float | None:
    """`at` as the writers store it (an ISO string, naive meaning Beijing time; else a Neo4j
    temporal or epoch seconds) -> epoch seconds; None when absent or unparseable."""
    if type(value) is str:
        if not value:
            return None
        try:
            moment = _from_iso(value)
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=CHINA_TZ)
        return moment.timestamp()
    try:
        return _epoch_of_graph_time(value)
    except (TypeError, ValueError):
        return None


def _epoch_of_graph_time(value: object) -> float:
    """`at` as the writers store it: a Neo4j temporal, an ISO string or epoch seconds."""
    to_native = getattr(value, "to_native", None)
    if to_native is not None:
        native = to_native()
        if not isinstance(native, datetime):  # a bare date: midnight, Beijing time
            native = datetime(native.year, native.month, native.day)
        return to_epoch(native)
    return to_epoch(value)
