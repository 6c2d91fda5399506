"""What a detection run changed about the rings of the run before it, and the alerts that follow.

Ring ids are per run, so a ring is followed from run to run by its *lineage*: a ring of the new run
continues the ring of the previous run (of the same scope) it shares the most members with, if they
share at least half of the smaller one; otherwise it is a new ring. A ring that is the same as its
predecessor (same members, same grade) raises nothing, so re-running a detection on an unchanged
graph gives no alert; an alert's id hashes the lineage, the member set and the grade, so the same
change seen twice is one alert.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from casegraph.alerts.grading import grade
from casegraph.alerts.triggers import opaque_id

NEW_RING, MEMBERS_ADDED, MEMBERS_REMOVED, GRADE_CHANGED = "new_ring", "members_added", "members_removed", \
    "grade_changed"
# Precedence of recipients of one ring change inside one agency: a watch on the ring itself says most
# about why it is news, then a watched member, then the agency's own cases.
RING_WATCH, MEMBER_WATCH, CASE_AGENCY = 0, 1, 2


@dataclass(frozen=True, slots=True)
class PastRing:
    id: str
    lineage: str
    members: frozenset[str]
    grade: str
    reported: bool


@dataclass(slots=True)
class RingChange:
    """One ring of the new run beside its predecessor; `events` is empty when nothing changed."""

    id: str
    lineage: str
    previous: str | None
    members: dict[str, str]  # key -> label
    sources: dict[str, list[str]]  # key -> documents that put it in the ring
    grade: str
    reported: bool
    events: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def signature(self) -> str:
        return "\n".join(sorted(self.members))


def ring_grade(row: Mapping[str, Any]) -> str:
    """The grade of a ring from the run's own figures (the rules of grading_rules.toml)."""
    figures = {"money_moved": row.get("total_amount") or 0, "agencies": len(row.get("agencies") or ()),
               "regions": len(row.get("regions") or ()), "typologies": len(row.get("typologies") or ()),
               "open_cases": len(row.get("cases") or ())}
    return str(grade(figures)["grade"])


def _predecessors(new: Mapping[str, frozenset[str]], past: Sequence[PastRing]) -> dict[str, PastRing]:
    """new ring id -> the past ring it continues: greedy by shared members, each past ring used once."""
    pairs = []
    for ring_id, members in new.items():
        for old in past:
            shared = len(members & old.members)
            if shared and 2 * shared >= min(len(members), len(old.members)):
                pairs.append((-shared, ring_id, old.id, old))
    pairs.sort(key=lambda p: p[:3])
    chosen: dict[str, PastRing] = {}
    used: set[str] = set()
    for _, ring_id, old_id, old in pairs:
        if ring_id not in chosen and old_id not in used:
            chosen[ring_id] = old
            used.add(old_id)
    return chosen


def ring_changes(rings: Sequence[Mapping[str, Any]], members: Mapping[str, Sequence[Mapping[str, Any]]],
                 past: Sequence[PastRing]) -> list[RingChange]:
    """Each ring of the new run (`rings`: id, grade, reported) with its members (`members`: label ->
    rows with ring, key, sources) beside the previous run's rings."""
    by_ring: dict[str, dict[str, str]] = {r["id"]: {} for r in rings}
    sources: dict[str, dict[str, list[str]]] = {r["id"]: {} for r in rings}
    for label, rows in members.items():
        for row in rows:
            by_ring[row["ring"]][row["key"]] = label
            sources[row["ring"]][row["key"]] = list(row.get("sources") or ())
    before = _predecessors({ring_id: frozenset(keys) for ring_id, keys in by_ring.items()}, past)
    changes = []
    for ring in rings:
        ring_id = ring["id"]
        old = before.get(ring_id)
        change = RingChange(ring_id, old.lineage if old else ring_id, old.id if old else None, by_ring[ring_id],
                            sources[ring_id], ring["grade"], bool(ring["reported"]))
        if change.reported:
            if old is None or not old.reported:
                change.events.append(NEW_RING)
            else:
                change.added = sorted(set(change.members) - old.members)
                change.removed = sorted(old.members - set(change.members))
                if change.added:
                    change.events.append(MEMBERS_ADDED)
                if change.removed:
                    change.events.append(MEMBERS_REMOVED)
                if change.grade != old.grade:
                    change.events.append(GRADE_CHANGED)
        changes.append(change)
    return changes


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who hears of a ring change: a watch (of an agency or one user) or an agency through its cases."""

    rank: int
    agency: str
    user: str | None
    watch: str | None
    entity: str | None  # the member it is about; None for a watch on the ring itself


def ring_alert_rows(change: RingChange, recipients: Iterable[Recipient]) -> list[dict[str, Any]]:
    """One alert per agency (or per user of a user's own watch) for a ring change: the most telling
    recipient first, and a user's own watch gives way to an alert for the whole agency."""
    if not change.events:
        return []
    ordered = sorted(recipients, key=lambda r: (r.rank, r.user is not None, r.watch or "", r.entity or ""))
    agency_wide = {r.agency for r in ordered if r.user is None}
    kept: dict[tuple[str, str | None], Recipient] = {}
    for recipient in ordered:
        if recipient.user is not None and recipient.agency in agency_wide:
            continue
        kept.setdefault((recipient.agency, recipient.user), recipient)
    rows = []
    trigger = "ring_new" if NEW_RING in change.events else "ring_changed"
    for (agency, user), recipient in sorted(kept.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        evidence = (change.sources.get(recipient.entity, []) if recipient.entity
                    else sorted({s for docs in change.sources.values() for s in docs}))
        whom = recipient.watch or f"agency:{agency}"
        rows.append({
            "id": "alt-" + opaque_id("\x1f".join([trigger, change.lineage, change.signature, change.grade, whom])),
            "watch": recipient.watch, "agency": agency, "user": user, "entity": recipient.entity,
            "label": change.members.get(recipient.entity, "Ring") if recipient.entity else "Ring",
            "trigger": trigger, "events": change.events, "sources": evidence, "ring": change.id,
            "lineage": change.lineage, "previous": change.previous, "added": change.added,
            "removed": change.removed, "ring_grade": change.grade})
    return rows
