"""Risk grades 低/中/高/重大 from the rules in grading_rules.toml: pure, explained part by part.

`grade(figures)` gives the grade, the total points, and for each part the figure, the points and
the step that gave them, in the rules' order, so an agency sees why a grade is what it is (as a
ring's score shows its parts).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

RULES_FILE = Path(__file__).with_name("grading_rules.toml")
GRADES: tuple[str, ...] = ("低", "中", "高", "重大")


@dataclass(frozen=True)
class Part:
    name: str
    label: str
    steps: tuple[tuple[float, int], ...]  # (at least this figure, points), ascending


@dataclass(frozen=True)
class Rules:
    version: str
    bands: tuple[tuple[int, str], ...]  # (at least these points, grade), ascending
    parts: tuple[Part, ...]


def parse_rules(data: dict[str, Any]) -> Rules:
    """Rules from their TOML form; ValueError naming what is wrong."""
    bands = sorted((int(points), str(name)) for name, points in data["bands"].items())
    unknown = {name for _, name in bands} - set(GRADES)
    if unknown:
        raise ValueError(f"unknown grades in bands: {sorted(unknown)} (expected {GRADES})")
    parts = []
    for name, part in data["parts"].items():
        steps = tuple(sorted((float(at), int(points)) for at, points in part["steps"]))
        parts.append(Part(name, str(part.get("label", name)), steps))
    return Rules(str(data["version"]), tuple(bands), tuple(parts))


@cache
def load_rules(path: Path = RULES_FILE) -> Rules:
    with path.open("rb") as handle:
        return parse_rules(tomllib.load(handle))


def grade(figures: dict[str, float], rules: Rules | None = None) -> dict[str, Any]:
    """The grade of an entity or ring with the figures given (missing figures count 0)."""
    rules = rules or load_rules()
    parts = []
    total = 0
    for part in rules.parts:
        value = float(figures.get(part.name) or 0)
        reached = [(at, points) for at, points in part.steps if value >= at]
        points = reached[-1][1] if reached else 0
        total += points
        parts.append({"name": part.name, "label": part.label, "value": value, "points": points,
                      "step": reached[-1][0] if reached else None})
    name = GRADES[0]
    for at, band in rules.bands:
        if total >= at:
            name = band
    return {"grade": name, "points": total, "rules_version": rules.version, "parts": parts}
