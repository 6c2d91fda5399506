"""Rings followed from run to run (issue 19), as pure code: which ring continues which, what changed,
who hears of it, and that the same change gives the same alert ids."""

from __future__ import annotations

from casegraph.alerts.ring_changes import (
    CASE_AGENCY,
    GRADE_CHANGED,
    MEMBER_WATCH,
    MEMBERS_ADDED,
    MEMBERS_REMOVED,
    NEW_RING,
    RING_WATCH,
    PastRing,
    Recipient,
    ring_alert_rows,
    ring_changes,
)


def _run(rings: dict[str, tuple[list[str], str, bool]]) -> tuple[list[dict], dict[str, list[dict]]]:
    rows = [{"id": ring_id, "grade": grade, "reported": reported} for ring_id, (_, grade, reported) in rings.items()]
    members = {"Person": [{"ring": ring_id, "key": key, "sources": [f"doc:{key}"]}
                          for ring_id, (keys, _, _) in rings.items() for key in keys]}
    return rows, members


PAST = [PastRing("r1-0", "line-a", frozenset({"a", "b", "c", "d"}), "中", True),
        PastRing("r1-1", "line-x", frozenset({"x", "y"}), "低", False)]


def test_an_unchanged_ring_continues_its_line_and_raises_nothing() -> None:
    [same] = ring_changes(*_run({"r2-0": (["a", "b", "c", "d"], "中", True)}), PAST)
    assert (same.lineage, same.previous, same.events) == ("line-a", "r1-0", [])
    assert ring_alert_rows(same, [Recipient(CASE_AGENCY, "cq-police", None, None, "a")]) == []


def test_members_added_removed_and_a_grade_crossed_are_the_changes() -> None:
    [grown] = ring_changes(*_run({"r2-0": (["a", "b", "c", "e"], "高", True)}), PAST)
    assert grown.lineage == "line-a" and grown.added == ["e"] and grown.removed == ["d"]
    assert grown.events == [MEMBERS_ADDED, MEMBERS_REMOVED, GRADE_CHANGED]


def test_a_ring_sharing_less_than_half_of_the_smaller_one_is_new_and_a_split_continues_once() -> None:
    changes = ring_changes(*_run({"r2-0": (["a", "b"], "中", True), "r2-1": (["c", "d"], "中", True),
                                  "r2-2": (["a", "p", "q", "r", "s"], "中", True)}), PAST)
    lines = {c.id: (c.lineage, c.events) for c in changes}
    assert lines["r2-0"] == ("line-a", [MEMBERS_REMOVED])  # ties broken by ring id: the first continues
    assert lines["r2-1"] == ("r2-1", [NEW_RING]) and lines["r2-2"] == ("r2-2", [NEW_RING])


def test_a_ring_that_reaches_the_threshold_is_new_and_one_below_raises_nothing() -> None:
    changes = ring_changes(*_run({"r2-0": (["x", "y"], "中", True), "r2-1": (["m", "n"], "低", False)}), PAST)
    assert [(c.lineage, c.events) for c in changes] == [("line-x", [NEW_RING]), ("r2-1", [])]


def test_one_alert_per_agency_the_most_telling_recipient_first_and_stable_ids() -> None:
    [change] = ring_changes(*_run({"r2-0": (["a", "b", "c", "e"], "中", True)}), PAST)
    recipients = [Recipient(CASE_AGENCY, "cq-police", None, None, "a"),
                  Recipient(MEMBER_WATCH, "cq-police", None, "wat-1", "b"),
                  Recipient(MEMBER_WATCH, "cq-police", "li", "wat-2", "c"),  # the agency hears anyway
                  Recipient(RING_WATCH, "sc-regulator", "wang", "wat-3", None),
                  Recipient(CASE_AGENCY, "sc-regulator", None, None, "e")]
    rows = ring_alert_rows(change, recipients)
    assert [(r["agency"], r["user"], r["watch"], r["entity"]) for r in rows] == [
        ("cq-police", None, "wat-1", "b"), ("sc-regulator", None, None, "e")]
    assert rows[0]["sources"] == ["doc:b"] and rows[0]["trigger"] == "ring_changed"
    # A user's own watch on the ring, in an agency not told as a whole, is its own alert on the whole ring.
    [own] = ring_alert_rows(change, [Recipient(RING_WATCH, "sc-regulator", "wang", "wat-3", None)])
    assert own["entity"] is None and own["label"] == "Ring" and own["sources"] == ["doc:a", "doc:b", "doc:c", "doc:e"]
    again = ring_alert_rows(ring_changes(*_run({"r3-0": (["a", "b", "c", "e"], "中", True)}), PAST)[0], recipients)
    assert [r["id"] for r in again] == [r["id"] for r in rows]
