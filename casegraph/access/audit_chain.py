"""The audit log's hash chain: each record's hash covers its fields and the previous record's hash.

Editing, removing or reordering any record changes every later hash, so `verify_chain` finds it.
The canonical form is sorted-key JSON so that the same record always hashes the same way.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

GENESIS = "0" * 64
# The fields the hash covers; `hash` itself is excluded, `prev_hash` and `seq` are included.
CHAINED_FIELDS = ("seq", "at", "user", "agency", "role", "action", "method", "path", "params", "purpose",
                  "returned", "status", "prev_hash")


def record_hash(record: Mapping[str, Any]) -> str:
    body = {name: record.get(name) for name in CHAINED_FIELDS}
    # The record's unique id is covered when it has one; records written before ids have none,
    # and their hashes stay what they were.
    if record.get("id") is not None:
        body["id"] = record["id"]
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def chain(records: Iterable[dict[str, Any]], prev_hash: str, first_seq: int) -> list[dict[str, Any]]:
    """The records with seq, prev_hash and hash filled in, continuing a chain that ends in `prev_hash`."""
    out = []
    for seq, record in enumerate(records, start=first_seq):
        linked = {**record, "seq": seq, "prev_hash": prev_hash}
        linked["hash"] = prev_hash = record_hash(linked)
        out.append(linked)
    return out


def verify_chain(records: Iterable[Mapping[str, Any]]) -> list[str]:
    """Problems found in records given in `seq` order from the first; empty when the chain holds."""
    problems = []
    prev, expected_seq = GENESIS, 1
    for r in records:
        if r.get("seq") != expected_seq:
            problems.append(f"record {r.get('seq')}: expected sequence number {expected_seq} (a record is missing)")
        if r.get("prev_hash") != prev:
            problems.append(f"record {r.get('seq')}: prev_hash does not match the record before it")
        if record_hash(r) != r.get("hash"):
            problems.append(f"record {r.get('seq')}: hash does not match its content (edited)")
        prev, expected_seq = str(r.get("hash")), int(r.get("seq") or 0) + 1
    return problems
