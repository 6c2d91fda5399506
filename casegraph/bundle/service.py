"""The service the API and the CLI call: draw a bundle of one case for one requester, and write it."""

from __future__ import annotations

import re
from pathlib import Path

from neo4j import Driver, RoutingControl

from casegraph.bundle.assemble import Limits, assemble, count_parties
from casegraph.bundle.models import Bundle, Requester
from casegraph.bundle.package import WrittenBundle, write_bundle
from casegraph.errors import InvalidInput, NotFound
from casegraph.graph.queries import cypher
from casegraph.identifiers import normalize_case_number

# Above this many parties a bundle is built as a background job (the API answers 202 with a job id).
LARGE_CASE_PARTIES = 60


def check_case_key(key: str) -> str:
    if not key.startswith("case:") or key.count(":") < 2:
        raise InvalidInput(f"{key!r} is not a case key (expected case:<agency>:<case number>)")
    return key


def resolve_case(driver: Driver, database: str, text: str, agency: str | None) -> str:
    """A case key, or a bare case number (any bracket width) that names one case `agency` may see."""
    if text.startswith("case:"):
        return check_case_key(text)
    number = normalize_case_number(text)
    if not re.search(r"\d.*号$", number):  # every Chinese case number ends 号 after its year and serial
        raise InvalidInput(f"{text!r} is neither a case key (case:<agency>:<case number>) nor a case number")
    records, _, _ = driver.execute_query(cypher("case_by_number"), number=number, agency=agency,
                                         database_=database, routing_=RoutingControl.READ)
    keys = [r["key"] for r in records]
    if not keys:
        raise NotFound(f"no case numbered {number!r}")
    if len(keys) > 1:
        raise InvalidInput(f"case number {number!r} names several cases; give one of their keys: {', '.join(keys)}")
    return str(keys[0])


def case_size(driver: Driver, database: str, key: str, requester: Requester) -> int:
    """Parties visible to the requester; NotFound when the case is not visible at all."""
    check_case_key(key)
    n = count_parties(driver, database, key, requester.agency)
    if n == 0:
        # a case without parties still has a bundle; tell it apart from an invisible case by assembling
        assemble_or_404(driver, database, key, requester, Limits(parties=1))
    return n


def assemble_or_404(driver: Driver, database: str, key: str, requester: Requester,
                    limits: Limits | None = None) -> Bundle:
    check_case_key(key)
    return assemble(driver, database, key, requester, limits)


def bundle_to_folder(driver: Driver, database: str, key: str, requester: Requester, out: Path,
                     limits: Limits | None = None) -> WrittenBundle:
    return write_bundle(assemble_or_404(driver, database, key, requester, limits), out)


__all__ = ["LARGE_CASE_PARTIES", "Limits", "NotFound", "assemble_or_404", "bundle_to_folder", "case_size"]
