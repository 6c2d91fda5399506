"""A source document as a caller may read it: text, pages, case, mentions; a ledger's transfers."""

from __future__ import annotations

from typing import Any

from neo4j import Driver

from casegraph.access import Caller, visibility_params
from casegraph.errors import InvalidInput, NotFound
from casegraph.graph.queries import cypher
from casegraph.graph.quick_read import read_records


def document(driver: Driver, database: str, caller: Caller, key: str, max_rows: int = 500) -> dict[str, Any]:
    """The document `key` within the caller's sharing; NotFound when there is none it may see
    (a hidden document is answered as a missing one: its key is its content's hash)."""
    if not key.startswith("doc:"):
        raise InvalidInput(f"{key!r} is not a document key (doc:…)")
    records = read_records(driver, database, cypher("document_visible"), key=key, max_rows=max_rows,
                           **visibility_params(caller))
    if not records:
        raise NotFound(f"no document {key!r}")
    record = records[0]
    found = {k: v for k, v in dict(record["document"]).items() if v is not None}
    page_starts = found.pop("page_starts", None) or []
    return {**found, "text": found.get("text"), "pages": list(page_starts), "case": record["case"],
            "mentions": [m for m in record["mentions"] if m["start"] is not None],
            "transfers": record["transfers"]}
