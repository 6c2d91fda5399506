"""A perfect-resolution projection built from a generator truth file: for evaluating detection alone.

Ring detection on the real graph depends on extraction and resolution; this builder skips both and
projects what the truth says (people, companies, their phones, addresses, accounts, control), plus
the ledgers' transfers, so that `eval rings --oracle` measures the detectors and their defaults on
the whole typology set, decoys included. It is an evaluation tool, never a data source.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from casegraph.graph.projection import from_ledgers, from_records

__all__ = ["oracle_graph", "truth_entity_keys"]

_TRUTH_SOURCE = "truth.json"


def _person_key(person: Mapping[str, Any]) -> str:
    if person.get("ric"):
        return f"ric:{person['ric']}"
    return f"name:{person['name']}|dob:{person.get('birth_date')}"


def _org_key(org: Mapping[str, Any]) -> str:
    return f"uscc:{org['uscc']}" if org.get("uscc") else f"name:{org['name']}"


def truth_entity_keys(truth: Mapping[str, Any]) -> dict[str, str]:
    """Truth entity id (P000123, O000045) -> the canonical key a flawless ingest gives it."""
    keys = {person["id"]: _person_key(person) for person in truth.get("persons", [])}
    keys.update({org["id"]: _org_key(org) for org in truth.get("organizations", [])})
    return keys


def _seen_by(truth: Mapping[str, Any]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """entity id -> agencies whose documents mention it, and -> case keys of those documents."""
    agencies: dict[str, set[str]] = defaultdict(set)
    cases: dict[str, set[str]] = defaultdict(set)
    for doc in truth.get("documents", []):
        for mention in doc.get("mentions", []):
            entity = mention.get("entity")
            if entity:
                agencies[entity].add(doc["agency"])
                if doc.get("case_number"):
                    cases[entity].add(f"case:{doc['agency']}:{doc['case_number']}")
    return agencies, cases


def oracle_graph(truth: Mapping[str, Any], corpus_dir: str | Path) -> nx.MultiDiGraph:
    """The projection a flawless ingest of this corpus would produce (ledgers read from corpus_dir)."""
    corpus = Path(corpus_dir)
    ledgers = [corpus / entry["path"] for entry in truth.get("ledgers", [])]
    graph = from_ledgers(ledgers) if ledgers else nx.MultiDiGraph()
    agencies, cases = _seen_by(truth)
    keys: dict[str, str] = {}
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []

    def fact(src: str, dst: str, edge_type: str) -> None:
        edges.append({"from": src, "to": dst, "type": edge_type, "sources": [_TRUTH_SOURCE]})

    for person in truth.get("persons", []):
        key = keys[person["id"]] = _person_key(person)
        nodes.append({"key": key, "type": "Person", "name": person["name"], "regions": [person["region"]],
                      "agencies": sorted(agencies[person["id"]]), "cases": sorted(cases[person["id"]])})
        for phone in person.get("phones", []):
            fact(key, f"phone:{phone}", "USES")
        for address in person.get("addresses", []):
            fact(key, f"addr:{address}", "LOCATED_AT")
        for account in person.get("accounts", []):
            fact(key, f"acct:{account}", "HOLDS")
    for org in truth.get("organizations", []):
        key = keys[org["id"]] = _org_key(org)
        nodes.append({"key": key, "type": "Organization", "name": org["name"], "regions": [org["region"]],
                      "agencies": sorted(agencies[org["id"]]), "cases": sorted(cases[org["id"]])})
        for account in org.get("accounts", []):
            fact(key, f"acct:{account}", "HOLDS")
        if org.get("address"):
            fact(key, f"addr:{org['address']}", "LOCATED_AT")
    for org in truth.get("organizations", []):
        key = keys[org["id"]]
        if org.get("legal_rep"):
            fact(keys[org["legal_rep"]], key, "LEGAL_REP_OF")
        for holder in org.get("shareholders", []):
            fact(keys[holder], key, "SHAREHOLDER_OF")
        if org.get("controller"):
            fact(keys[org["controller"]], key, "CONTROLS")
    return from_records(nodes, edges, graph)
