"""Keeps the best non-overlapping candidates; they are the Doc's `doc._.casegraph_spans`, and with
`span_group = true` in the component's config also `doc.spans["casegraph"]`.

The spans are built when asked for: extraction reads the kept candidates' exact character
offsets, and making a spaCy Span object for each of them cost as much as a rule component.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.language import Language
from spacy.tokens import Doc, Span

from casegraph.ingest.components.base import SELECTED_KEY, Candidate, candidates, doc_text
from casegraph.ingest.tokenizer import TOKEN_STARTS_KEY

SPAN_KEY = "casegraph"
SPANS_EXTENSION = "casegraph_spans"


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


def selected_spans(doc: Doc) -> list[Span]:
    """A labelled Span for each kept candidate: the tokens that cover it (char_span's "expand")."""
    kept: list[Candidate] = doc.user_data.get(SELECTED_KEY, [])
    starts: list[int] | None = doc.user_data.get(TOKEN_STARTS_KEY)
    spans: list[Span] = []
    for candidate in kept:
        if starts is None:  # a Doc from another tokenizer
            span = doc.char_span(candidate.start, candidate.end, candidate.label, alignment_mode="expand")
        else:
            first = bisect_right(starts, candidate.start) - 1
            span = Span(doc, max(first, 0), bisect_left(starts, candidate.end), candidate.label)
        if span is not None:
            spans.append(span)
    return spans


if not Doc.has_extension(SPANS_EXTENSION):
    Doc.set_extension(SPANS_EXTENSION, getter=selected_spans)


@Language.factory("casegraph_select", assigns=["doc.spans", "doc.user_data"], default_config={"span_group": False})
def make_select(nlp: Language, name: str, span_group: bool) -> Selector:
    return Selector(span_group)


class Selector:
    def __init__(self, span_group: bool = False) -> None:
        self.span_group = span_group

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data[SELECTED_KEY] = choose(candidates(doc), len(doc_text(doc)))
        if self.span_group:
            doc.spans[SPAN_KEY] = selected_spans(doc)
        return doc
