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
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["EvalReport", "TruthError", "evaluate", "load_truth", "reported_from_json"]


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


def _members(items: Iterable[Mapping[str, Any]], accounts_only: bool) -> frozenset[str]:
    return frozenset(_member_key(m) for m in items if not accounts_only or m.get("type") == "Account")


def evaluate(truth: Mapping[str, Any], reported: Iterable[Mapping[str, Any]], threshold: float, *,
             accounts_only: bool, found_share: float = 0.8, max_size_ratio: float = 2.0) -> EvalReport:
    """Compare reported rings (dicts with "score" and "members") to the truth's rings and decoys."""
    above = [_members(r["members"], accounts_only) for r in reported if float(r["score"]) > threshold]
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
    scope = "accounts (ledger-only run)" if accounts_only else "all members"
    return EvalReport(scope, len(planted), out_of_scope, found, missed, len(above), correct,
                      decoys_in_scope, flagged)
