"""Corpus sizes: named presets or a bare person count."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Scale:
    name: str
    persons: int
    rings: int
    background_matters: int
    rows_per_person: float
    docx: int
    pdf: int
    xlsx: int
    broken_each: int
    examples: bool = False


def scale_for(persons: int, name: str | None = None) -> Scale:
    if persons < 50:
        raise ValueError(f"a corpus needs at least 50 persons, got {persons}")
    return Scale(
        name=name or str(persons), persons=persons,
        rings=max(2, min(persons // 75, 4 + persons // 400)),
        background_matters=max(20, persons // 40),
        rows_per_person=10.2,
        docx=min(60, max(12, persons // 20)), pdf=min(60, max(12, persons // 20)),
        xlsx=min(12, max(2, persons // 2000)), broken_each=1 if persons < 5000 else 3,
    )


EXAMPLES = Scale("examples", persons=60, rings=1, background_matters=0, rows_per_person=3.0,
                 docx=1, pdf=1, xlsx=0, broken_each=0, examples=True)


def parse_scale(value: str) -> Scale:
    named = {"small": 300, "medium": 20_000, "large": 200_000}
    if value == "examples":
        return EXAMPLES
    if value in named:
        return scale_for(named[value], value)
    try:
        persons = int(value)
    except ValueError:
        raise ValueError(
            f"unknown scale {value!r}: use examples, small, medium, large or a person count") from None
    return scale_for(persons)
