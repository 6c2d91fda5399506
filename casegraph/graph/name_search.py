"""Fuzzy name search: candidates from an in-process index of name texts, answers through visibility.

The index holds every name text documents write for people and organisations (with pinyin), so
that a misspelt, romanised or traditional-character query can be matched without a full scan in
Neo4j; it only ranks candidate keys. What is answered about a candidate is read again with the
caller's visibility (names_visible.cypher): its visible names, regions, agencies and case count,
or hit/no-hit per holding agency (the agencies and case counts only for results that can make the
answer: name_cases_visible.cypher). The score is recomputed on the visible names only, so a name
written only in a hidden document neither shows nor ranks a result.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from neo4j import Driver, RoutingControl
from neo4j.exceptions import DriverError, Neo4jError
from rapidfuzz import fuzz, process

from casegraph.access import Caller, visibility_params
from casegraph.errors import InvalidInput, NotFound
from casegraph.graph.lookups import hit_no_hit
from casegraph.graph.queries import cypher
from casegraph.names import NameQuery, name_score, parse_query, pinyin_key, simplified

log = logging.getLogger(__name__)
MIN_SCORE = 60.0
_CANDIDATES = 300


@dataclass(frozen=True)
class _Index:
    texts: list[str]
    simple: list[str]
    pinyin: list[str]
    keys: list[list[str]]
    built_at: float


class NameIndex:
    """Name texts of the graph, renewed when older than `ttl_s` (a new ingest shows within that).

    Only the first search waits for the index. A stale one keeps answering while one background
    thread builds the next: on the medium corpus a build reads ~30,000 texts and spells each in
    pinyin, seconds that a search would otherwise pay once a minute (a p95 of its own)."""

    def __init__(self, ttl_s: float = 60.0) -> None:
        self.ttl_s = ttl_s
        self._index: _Index | None = None
        self._building = threading.Lock()

    def get(self, driver: Driver, database: str) -> _Index:
        index = self._index
        if index is None:
            with self._building:
                if self._index is None:
                    self._index = _build(driver, database)
                return self._index
        if time.monotonic() - index.built_at >= self.ttl_s and self._building.acquire(blocking=False):
            threading.Thread(target=self._renew, args=(driver, database), name="name-index", daemon=True).start()
        return index

    def _renew(self, driver: Driver, database: str) -> None:
        try:
            self._index = _build(driver, database)
        except (Neo4jError, DriverError) as exc:  # the stale index keeps answering; the next search tries again
            log.warning("name index not renewed: %s", exc)
        finally:
            self._building.release()

    def clear(self) -> None:
        self._index = None


def _build(driver: Driver, database: str) -> _Index:
    records, _, _ = driver.execute_query(cypher("name_index_texts"), database_=database, routing_=RoutingControl.READ)
    texts = [str(r["text"]) for r in records]
    return _Index(texts, [simplified(t) for t in texts], [pinyin_key(t) for t in texts],
                  [list(r["keys"]) for r in records], time.monotonic())


def _candidates(index: _Index, query: NameQuery) -> dict[str, float]:
    """Entity key → the best score any of its name texts can give (names.form_score's own terms), for
    the keys that can reach MIN_SCORE. Visible names are a subset of these texts, so a key below it
    can neither be a result nor a hit: it is not read from the database at all (the search's cost
    there grows with the candidates; a cutoff below the answer's own sent hundreds of same-surname
    names to be read and dropped)."""
    hits: list[tuple[str, float, int]] = []
    if query.latin:
        hits += process.extract(query.name, index.pinyin, scorer=fuzz.ratio, limit=_CANDIDATES, score_cutoff=MIN_SCORE)
    else:
        hits += process.extract(query.name, index.simple, scorer=fuzz.ratio, limit=_CANDIDATES, score_cutoff=MIN_SCORE)
        # a homophone scores 0.9 of its pinyin ratio (names.form_score)
        hits += [(t, 0.9 * score, i) for t, score, i in process.extract(
            pinyin_key(query.name), index.pinyin, scorer=fuzz.ratio, limit=_CANDIDATES,
            score_cutoff=MIN_SCORE / 0.9)]
        if len(query.name) >= 3:
            hits += [(t, 90.0, i) for i, t in enumerate(index.simple) if query.name in t][:_CANDIDATES]
    best: dict[str, float] = defaultdict(float)
    for _, score, i in hits:
        for key in index.keys[i]:
            best[key] = max(best[key], float(score))
    return dict(sorted(best.items(), key=lambda kv: -kv[1])[:_CANDIDATES])


def _qualifies(query: NameQuery, row: dict[str, Any]) -> bool:
    if query.years and not any(str(row.get("birth_date") or "").startswith(y) for y in query.years):
        return False
    return not query.regions or bool(set(query.regions) & set(row.get("regions") or []))


def _leading(results: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The results that can be among the first `limit`: every score down to the limit-th one (ties
    are ordered by agencies and cases, read for these only; a search may have 300 candidates)."""
    if len(results) <= limit:
        return results
    cutoff = sorted((r["score"] for r in results), reverse=True)[limit - 1]
    return [r for r in results if r["score"] >= cutoff]


def _with_cases(driver: Driver, database: str, caller: Caller, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each result with the agencies and the number of cases of the documents the caller sees about it."""
    if not results:
        return results
    records, _, _ = driver.execute_query(cypher("name_cases_visible"), keys=[r["key"] for r in results],
                                         database_=database, routing_=RoutingControl.READ,
                                         **visibility_params(caller))
    told = {r["key"]: r for r in records}
    return [{**r, "agencies": sorted(told[r["key"]]["agencies"]) if r["key"] in told else [],
             "cases": told[r["key"]]["cases"] if r["key"] in told else 0} for r in results]


def search_names(driver: Driver, database: str, caller: Caller, index: NameIndex, text: str,
                 limit: int = 20) -> dict[str, Any]:
    """People and organisations whose visible names answer `text`, best first, plus hit/no-hit."""
    text = " ".join(text.split())
    if sum(ch.isalnum() for ch in text) < 2:
        raise InvalidInput("a name to search for has at least 2 letters or digits")
    query = parse_query(text)
    candidates = _candidates(index.get(driver, database), query)
    if not candidates:
        raise NotFound(f"no person or organisation named like {text!r}")
    records, _, _ = driver.execute_query(cypher("names_visible"), keys=list(candidates), database_=database,
                                         routing_=RoutingControl.READ, **visibility_params(caller))
    results, holders = [], defaultdict(set)
    for record in records:
        row = record.data()
        if row["texts"]:
            scored = max((name_score(query, t), t) for t in row["texts"])
            if scored[0] >= MIN_SCORE and _qualifies(query, row):
                results.append({"key": row["key"], "label": row["label"], "name": scored[1],
                                "score": round(scored[0], 1), "regions": row["regions"] or [],
                                "birth_date": str(row["birth_date"]) if row["birth_date"] else None})
        elif candidates[row["key"]] >= MIN_SCORE and not query.years and not query.regions:
            # (a qualifier cannot be checked on what is hidden)
            for hidden in row["hidden"]:
                holders[hidden["agency"]].add(hidden["case"])
    results = _with_cases(driver, database, caller, _leading(results, limit))
    # Equal names: the entity more cases tell of first, an identified one before a bare mention.
    results.sort(key=lambda r: (-r["score"], -r["cases"], -len(r["agencies"]), r["key"].startswith("mention:"),
                                r["key"]))
    hidden_view = hit_no_hit([{"agency": a, "cases": len(c - {None})} for a, c in sorted(holders.items())])
    if not results and not holders:
        raise NotFound(f"no person or organisation named like {text!r}")
    return {"results": results[:limit], "hidden": hidden_view if holders else None}
