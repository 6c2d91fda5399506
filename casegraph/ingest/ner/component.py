"""`casegraph_names_model`: the name model's PERSON and ORG spans as candidates beside the rules'.

How the two combine (`mode` in pipeline.cfg; chosen by measurement, see the model card):
- `fill`: the rules win every overlap; a model span counts only where no rule candidate lies.
- `boundaries`: as `fill`, and where a model span overlaps a rule candidate of its type, the rule
  candidate takes the model's boundaries (keeping its attributes: cue, role, short form);
  rules run names into the next verb (徐震出) or take the words before an organisation in
  (证实新野县公安局), which the model learnt not to.
- `model`: the rules' PERSON and ORG candidates are dropped; the model's stand alone.
`labels` limits the model to some of its types (the rules alone give the others); with
`org_needs_head` a model ORG span is used only where the organisation grammar reads a name in it
(organisations.has_head): the model's ORG alone was precise on one span in two.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from casegraph.ingest.components.base import Candidate, candidates, doc_text
from casegraph.ingest.components.organisations import has_head
from casegraph.ingest.ner.model import load_model, spans_of

MODES = ("fill", "boundaries", "model")
NAME_LABELS = ("PERSON", "ORG")
# below every rule candidate's priority: a model span never displaces a rule's in `select`
FILL_SCORE = -100


@Language.factory("casegraph_names_model", assigns=["doc.user_data"], default_config={"mode": "fill", "min_confidence": 0.0, "labels": list(NAME_LABELS),
                                   "org_needs_head": True})
def make_names_model(nlp: Language, name: str, mode: str, min_confidence: float, labels: list[str],
                     org_needs_head: bool) -> NamesModel:
    if mode not in MODES:
        raise ValueError(f"casegraph_names_model: mode {mode!r} is not one of {', '.join(MODES)}")
    if not set(labels) <= set(NAME_LABELS):
        raise ValueError(f"casegraph_names_model: labels {labels!r} are not among {', '.join(NAME_LABELS)}")
    load_model()  # a missing model stops the pipeline's build, not the first document
    return NamesModel(mode, min_confidence, tuple(labels), org_needs_head)


class NamesModel:
    def __init__(self, mode: str, min_confidence: float = 0.0, labels: tuple[str, ...] = NAME_LABELS,
                 org_needs_head: bool = True) -> None:
        self.mode = mode
        self.min_confidence = min_confidence
        self.labels = labels
        self.org_needs_head = org_needs_head

    def __call__(self, doc: Doc) -> Doc:
        for spans in spans_of([doc_text(doc)], min_confidence=self.min_confidence):
            self.combine(doc, spans)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._batch(batch, batch_size)
                batch = []
        yield from self._batch(batch, batch_size)

    def _batch(self, docs: list[Doc], batch_size: int) -> Iterator[Doc]:
        for doc, spans in zip(docs, spans_of((doc_text(d) for d in docs), batch_size, self.min_confidence), strict=True):
            self.combine(doc, spans)
            yield doc

    def combine(self, doc: Doc, spans: list[tuple[str, int, int]]) -> None:
        text = doc_text(doc)
        spans = [(label, s, e) for label, s, e in spans if label in self.labels
                 and not (label == "ORG" and self.org_needs_head and not has_head(text[s:e]))]
        found = candidates(doc)
        if self.mode == "model":
            found[:] = [c for c in found if c.label not in self.labels]
            found.extend(Candidate(label, s, e, text[s:e], True) for label, s, e in spans)
            return
        if self.mode == "boundaries":
            _take_boundaries(found, spans, text)
        found.extend(Candidate(label, s, e, text[s:e], True, score=FILL_SCORE) for label, s, e in spans)


def _take_boundaries(found: list[Candidate], spans: list[tuple[str, int, int]], text: str) -> None:
    by_label: dict[str, list[tuple[int, int]]] = {label: [] for label in NAME_LABELS}
    for label, start, end in spans:
        by_label[label].append((start, end))
    for candidate in found:
        own = by_label.get(candidate.label)
        if not own:
            continue
        overlapping = [(s, e) for s, e in own if s < candidate.end and candidate.start < e]
        # one model span only: where the model splits a rule span in two, neither boundary is sure
        if len(overlapping) == 1 and overlapping[0] != (candidate.start, candidate.end):
            candidate.start, candidate.end = overlapping[0]
            candidate.normalized = text[candidate.start:candidate.end]
