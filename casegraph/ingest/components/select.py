"""Keeps the best non-overlapping candidates and exposes them as `doc.spans["casegraph"]`."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.language import Language
from spacy.tokens import Doc, Span

from casegraph.ingest.components.base import SELECTED_KEY, Candidate, candidates, doc_text
from casegraph.ingest.tokenizer import TOKEN_STARTS_KEY

SPAN_KEY = "casegraph"


def choose(found: list[Candidate], length: int) -> list[Candidate]:
    """Greedy by priority, then by length: a longer span of the same type beats a shorter one."""
    occupied = bytearray(length + 1)
    kept: list[Candidate] = []
    for candidate in sorted(found, key=lambda c: (-c.priority, c.start - c.end, c.start)):
        if candidate.end <= candidate.start or any(occupied[candidate.start:candidate.end]):
            continue
        occupied[candidate.start:candidate.end] = b"\x01" * (candidate.end - candidate.start)
        kept.append(candidate)
    kept.sort(key=lambda c: c.start)
    return kept


@Language.factory("casegraph_select", assigns=["doc.spans", "doc.user_data"])
def make_select(nlp: Language, name: str) -> Selector:
    return Selector()


class Selector:
    def __call__(self, doc: Doc) -> Doc:
        kept = choose(candidates(doc), len(doc_text(doc)))
        doc.user_data[SELECTED_KEY] = kept
        starts: list[int] | None = doc.user_data.get(TOKEN_STARTS_KEY)
        labels = {label: doc.vocab.strings.add(label) for label in {c.label for c in kept}}
        spans: list[Span] = []
        for candidate in kept:
            if starts is None:  # a Doc from another tokenizer
                span = doc.char_span(candidate.start, candidate.end, candidate.label, alignment_mode="expand")
            else:
                # the tokens that cover the candidate, as char_span's "expand" mode gives them
                first = bisect_right(starts, candidate.start) - 1
                span = Span(doc, max(first, 0), bisect_left(starts, candidate.end), labels[candidate.label])
            if span is not None:
                spans.append(span)
        doc.spans[SPAN_KEY] = spans
        return doc
