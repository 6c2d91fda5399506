"""Ring detection against AMLSim-style group truth (`truth_groups.csv`), per typology.

AMLSim and the ledgers labelled like it list one row per planted group: `alert_id, typology,
reliable, members` (members `;`-separated account ids). The usual scoring of such ledgers:
- a true group is recovered when one reported ring above the threshold holds at least
  `recovered_share` (50 %) of its members;
- a reported ring above the threshold is a hit when at least half of it lies in one true group
  of any typology (reliable or not: a ring on a group the simulator could not label is no false
  alarm);
- recall counts only `reliable == true` groups (AMLSim records some typologies' transfers as
  normal ones, so nothing in the ledger shows them).
Reported members are matched to truth accounts by the text after their last ``:`` (``acct:9``
and ``9`` are account 9).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casegraph.detect.evaluation import TruthError

__all__ = ["GroupEvalReport", "TruthGroup", "evaluate_groups", "is_group_truth", "load_group_truth"]

_REQUIRED = ("alert_id", "typology", "reliable", "members")


@dataclass(frozen=True, slots=True)
class TruthGroup:
    id: str
    typology: str
    reliable: bool
    members: frozenset[str]


@dataclass(slots=True)
class GroupEvalReport:
    """Recovered groups per typology (reliable ones only) and the precision of the reported rings."""

    threshold: float
    per_typology: dict[str, tuple[int, int]]  # typology -> (recovered, reliable groups)
    recovered: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    reported: int = 0
    hits: int = 0

    @property
    def recall(self) -> float:
        total = len(self.recovered) + len(self.missed)
        return len(self.recovered) / total if total else 0.0

    @property
    def precision(self) -> float:
        return self.hits / self.reported if self.reported else 0.0

    def as_json(self) -> dict[str, Any]:
        return {"scope": "AMLSim-style groups (reliable == true), accounts",
                "recall": round(self.recall, 4), "recovered": len(self.recovered),
                "reliable_groups": len(self.recovered) + len(self.missed),
                "precision": round(self.precision, 4), "reported_above_threshold": self.reported,
                "hits": self.hits, "threshold": self.threshold,
                "per_typology": {t: {"recovered": r, "groups": n} for t, (r, n) in self.per_typology.items()},
                "missed": self.missed}

    def lines(self) -> list[str]:
        """The report as the CLI prints it: one line per typology, then the totals."""
        out = ["typology         recovered"]
        out += [f"{typology:<16} {r} of {n}" for typology, (r, n) in self.per_typology.items()]
        out.append(f"recall: {self.recall:.3f} ({len(self.recovered)}/{len(self.recovered) + len(self.missed)} "
                   "reliable groups)")
        out.append(f"precision: {self.precision:.3f} ({self.hits}/{self.reported} above threshold "
                   f"{self.threshold:g})")
        if self.missed:
            out.append(f"missed: {', '.join(self.missed)}")
        return out


def is_group_truth(path: Path) -> bool:
    """A CSV truth file is group truth; the generator's truth is JSON."""
    return path.suffix.lower() == ".csv"


def _account(key: object) -> str:
    return str(key).rsplit(":", 1)[-1].strip()


def load_group_truth(path: str | Path) -> list[TruthGroup]:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise TruthError(f"truth file {file} does not exist") from None
    except UnicodeDecodeError as exc:
        raise TruthError(f"truth file {file} is not UTF-8 text: {exc}") from None
    reader = csv.DictReader(text.splitlines())
    missing = [name for name in _REQUIRED if name not in (reader.fieldnames or ())]
    if missing:
        raise TruthError(f"truth file {file} lacks the column(s) {', '.join(missing)}")
    groups = []
    for row in reader:
        members = frozenset(_account(m) for m in (row["members"] or "").split(";") if m.strip())
        groups.append(TruthGroup(row["alert_id"].strip(), row["typology"].strip(),
                                 row["reliable"].strip().lower() == "true", members))
    return groups


def evaluate_groups(groups: Iterable[TruthGroup], reported: Iterable[Mapping[str, Any]], threshold: float,
                    *, recovered_share: float = 0.5) -> GroupEvalReport:
    """Score reported rings (dicts with "score" and "members" [{"key"}]) against the groups."""
    groups = list(groups)
    above = [frozenset(_account(m["key"]) for m in ring["members"])
             for ring in reported if float(ring["score"]) > threshold]
    above = [ring for ring in above if ring]
    report = GroupEvalReport(threshold, {})
    for group in groups:
        if not group.reliable or not group.members:
            continue
        recovered = any(len(group.members & ring) >= recovered_share * len(group.members) for ring in above)
        (report.recovered if recovered else report.missed).append(f"{group.id} ({group.typology})")
        done, total = report.per_typology.get(group.typology, (0, 0))
        report.per_typology[group.typology] = (done + recovered, total + 1)
    report.reported = len(above)
    report.hits = sum(1 for ring in above if any(len(ring & g.members) * 2 >= len(ring) for g in groups))
    return report
