"""Ring detection against a generator truth file: recall, precision and decoys above threshold.

Matching rules (issue 7):
- a planted ring is found when one reported ring above the threshold holds at least
  `found_share` (80 %) of its members and is at most `max_size_ratio` (2x) its size;
- a reported ring above the threshold is correct when at least half of its members belong to one
  planted ring (so a ring split in two halves costs precision, not only recall);
- a decoy is flagged when a reported ring above the threshold holds at least half of its members
  (and at least two), or holds its shared phone/address itself.
With ledgers only, everything is compared on Account members; planted rings with fewer than two
accounts, and decoys without accounts, are out of scope and counted as such.

On the graph, a person named without an ID number in every document that mentions them cannot
carry the truth's ``ric:`` key, and one person may still sit on several nodes the linker did not
join. So a graph run is compared entity by entity: each person/company node counts as the truth
entity that most of its document mentions denote (`aliases_from_mentions`), and a ring holding two
nodes of one entity holds that entity once.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casegraph.detect.oracle import truth_entity_keys

__all__ = ["EvalReport", "TruthError", "aliases_from_mentions", "document_keys", "evaluate", "load_truth",
           "reported_from_json"]

# An extracted mention as the graph records it: (document key, PERSON|ORG, start, end, node key).
GraphMention = tuple[str, str, int, int, str]


class TruthError(ValueError):
    """The truth or rings file is missing, not JSON, or lacks the keys evaluation needs."""


@dataclass(slots=True)
class EvalReport:
    scope: str
    planted: int
    out_of_scope: int
    found: list[str]
    missed: list[str]
    reported: int
    correct: int
    decoys_in_scope: int
    decoys_flagged: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return len(self.found) / self.planted if self.planted else 0.0

    @property
    def precision(self) -> float:
        return self.correct / self.reported if self.reported else 0.0

    def as_json(self) -> dict[str, Any]:
        return {"scope": self.scope, "planted_rings": self.planted, "out_of_scope": self.out_of_scope,
                "found": len(self.found), "recall": round(self.recall, 4),
                "reported_above_threshold": self.reported, "correct": self.correct,
                "precision": round(self.precision, 4), "decoys_in_scope": self.decoys_in_scope,
                "decoys_above_threshold": len(self.decoys_flagged), "decoys_flagged": self.decoys_flagged,
                "missed": self.missed}


def _read_json(path: str | Path, what: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TruthError(f"{what} file {path} does not exist") from None
    except json.JSONDecodeError as exc:
        raise TruthError(f"{what} file {path} is not JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("rings"), list):
        raise TruthError(f"{what} file {path} has no \"rings\" list")
    return data


def load_truth(path: str | Path) -> dict[str, Any]:
    return _read_json(path, "truth")


def _member_key(member: Mapping[str, Any]) -> str:
    key = str(member["key"])
    # Reported rings show accounts by number; truth keys them as acct:<digits>.
    if member.get("type") == "Account" and not key.startswith("acct:"):
        return f"acct:{key}"
    return key


def reported_from_json(path: str | Path) -> list[dict[str, Any]]:
    """Rings as printed by `casegraph detect rings --format json`."""
    return list(_read_json(path, "rings")["rings"])


def document_keys(truth: Mapping[str, Any], corpus_dir: str | Path) -> dict[str, dict[str, Any]]:
    """Graph document key (``doc:<sha256>`` of the file) -> its truth document, for the files present."""
    corpus = Path(corpus_dir)
    found: dict[str, dict[str, Any]] = {}
    for doc in truth.get("documents", []):
        file = corpus / doc["path"]
        if doc.get("mentions") and file.is_file():
            found[f"doc:{hashlib.sha256(file.read_bytes()).hexdigest()}"] = doc
    return found


def aliases_from_mentions(truth: Mapping[str, Any], documents: Mapping[str, Mapping[str, Any]],
                          mentions: Iterable[GraphMention]) -> dict[str, str]:
    """Graph node key -> the truth key of the entity most of its mentions denote.

    Each extracted mention votes for the truth mention of its type in the same document that its
    span overlaps most; a node whose mentions overlap none is left out (compared by its own key).
    """
    spans: dict[tuple[str, str], list[tuple[int, int, str]]] = defaultdict(list)
    for key, doc in documents.items():
        for truth_mention in doc["mentions"]:
            if truth_mention.get("entity"):
                spans[(key, truth_mention["type"])].append(
                    (truth_mention["start"], truth_mention["end"], truth_mention["entity"]))
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for document, kind, start, end, node in mentions:
        overlaps = [(min(end, t_end) - max(start, t_start), entity)
                    for t_start, t_end, entity in spans.get((document, kind), ())]
        best = max(overlaps, default=(0, ""))
        if best[0] > 0:
            votes[node][best[1]] += 1
    entity_keys = truth_entity_keys(truth)
    return {node: entity_keys[counts.most_common(1)[0][0]] for node, counts in votes.items()
            if counts.most_common(1)[0][0] in entity_keys}


def _members(items: Iterable[Mapping[str, Any]], accounts_only: bool,
             aliases: Mapping[str, str] | None = None) -> frozenset[str]:
    keys = (_member_key(m) for m in items if not accounts_only or m.get("type") == "Account")
    return frozenset(aliases.get(k, k) for k in keys) if aliases else frozenset(keys)


def evaluate(truth: Mapping[str, Any], reported: Iterable[Mapping[str, Any]], threshold: float, *,
             accounts_only: bool, found_share: float = 0.8, max_size_ratio: float = 2.0,
             aliases: Mapping[str, str] | None = None) -> EvalReport:
    """Compare reported rings (dicts with "score" and "members") to the truth's rings and decoys.

    `aliases` maps reported member keys to truth keys (see `aliases_from_mentions`).
    """
    above = [_members(r["members"], accounts_only, aliases) for r in reported if float(r["score"]) > threshold]
    above = [ring for ring in above if ring]
    planted: dict[str, frozenset[str]] = {}
    out_of_scope = 0
    for ring in truth["rings"]:
        members = _members(ring["members"], accounts_only)
        if len(members) < 2:
            out_of_scope += 1
        else:
            planted[ring["id"]] = members
    found: list[str] = []
    missed: list[str] = []
    for ring_id, members in planted.items():
        hit = any(len(members & r) >= found_share * len(members) and len(r) <= max_size_ratio * len(members)
                  for r in above)
        (found if hit else missed).append(ring_id)
    correct = sum(1 for r in above if any(len(r & m) * 2 >= len(r) for m in planted.values()))
    decoys_in_scope, flagged = 0, []
    for decoy in truth.get("decoys", []):
        members = _members(decoy["members"], accounts_only)
        if len(members) < 2:
            continue
        decoys_in_scope += 1
        identifiers = {_member_key(m) for m in decoy["members"] if m.get("type") in ("Phone", "Address")}
        if any(len(members & r) * 2 >= len(members) or identifiers & r for r in above):
            flagged.append(str(decoy["id"]))
    scope = "accounts (ledger-only run)" if accounts_only else \
        "all members, graph nodes as the truth entities they denote" if aliases else "all members"
    return EvalReport(scope, len(planted), out_of_scope, found, missed, len(above), correct,
                      decoys_in_scope, flagged)
