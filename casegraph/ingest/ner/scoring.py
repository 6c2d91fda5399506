"""The model's score during training: exact-span F1 of the decoded BIO tags, per label and over
both (the tagger's own score, per-character accuracy, is mostly the `O` of plain text)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from spacy.training import Example
from spacy.util import registry

from casegraph.ingest.ner.tags import LABELS, decode


def span_scores(examples: Iterable[Example]) -> dict[str, Any]:
    """Exact-span precision, recall and F1 of the decoded tags, over all and per label."""
    counts = {label: [0, 0, 0] for label in LABELS}  # tp, found, gold
    for example in examples:
        found = set(decode([t.tag_ or "O" for t in example.predicted]))
        gold = set(decode([t.tag_ or "O" for t in example.reference]))
        for label in LABELS:
            mine = {s for s in found if s[0] == label}
            theirs = {s for s in gold if s[0] == label}
            counts[label][0] += len(mine & theirs)
            counts[label][1] += len(mine)
            counts[label][2] += len(theirs)

    def f1(tp: int, found: int, gold: int) -> float:
        return 2 * tp / (found + gold) if found + gold else 1.0

    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {"ents_f": f1(*total),
            "ents_per_type": {label: {"f": f1(*c), "p": c[0] / c[1] if c[1] else 1.0,
                                      "r": c[0] / c[2] if c[2] else 1.0} for label, c in counts.items()}}


@registry.scorers("casegraph.bio_span_scorer.v1")
def make_span_scorer() -> Callable[..., dict[str, Any]]:
    def score(examples: Iterable[Example], **kwargs: object) -> dict[str, Any]:
        return span_scores(examples)

    return score
