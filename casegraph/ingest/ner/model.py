"""The packaged name model: loaded once per process from `casegraph/ingest/ner/model` (never from
the network), and its PERSON/ORG spans for a batch of texts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

import numpy
import spacy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.util import minibatch

from casegraph.errors import ConfigError

# registered by import: the tokenizer and the scorer the model's config names
from casegraph.ingest.ner import chars, scoring  # noqa: F401
from casegraph.ingest.ner.tags import OUTSIDE, decode_sparse
from casegraph.ingest.pieces import pieces

MODEL_FOLDER = "model"
MODEL_CHARS = 20_000  # characters of text the model is given at once (see spans_of)
BATCH_CHARS = 64_000
MISSING = ("the name model is not in {path}: rebuild it with `casegraph model train` (or `make model`), "
           "or set CASEGRAPH_NAMES_MODEL=off to extract PERSON and ORG with the rules alone")


def model_dir() -> Path:
    return Path(str(resources.files("casegraph.ingest.ner"))) / MODEL_FOLDER


@lru_cache(maxsize=1)
def load_model() -> Language:
    path = model_dir()
    if not (path / "config.cfg").is_file():
        raise ConfigError(MISSING.format(path=path))
    return spacy.load(path)


def spans_of(texts: Iterable[str], batch_size: int = 32,
             min_confidence: float = 0.0) -> Iterator[list[tuple[str, int, int]]]:
    """(label, start, end) character spans for each text, in order, of two characters or more
    (no name is one character) whose every tag the model chose with at least `min_confidence`.

    Texts are taken in batches, which lets the CNN work on one large matrix per batch. The model's
    memory grows with the characters of a batch (about 3 KB each: a 180,000-character text took
    500 MB), so a text longer than MODEL_CHARS is cut into chunks at paragraph breaks and a batch holds
    at most BATCH_CHARS; the CNN sees a few characters either side, and no name spans a paragraph."""
    for group in minibatch(texts, batch_size):
        chunks = [_Chunk(i, start, end, text) for i, text in enumerate(group)
                  for start, end in pieces(text, MODEL_CHARS)]
        found: list[list[tuple[str, int, int]]] = [[] for _ in group]
        for batch in _bounded(chunks, batch_size):
            for chunk, spans in zip(batch, _model_spans([c.text for c in batch], min_confidence), strict=True):
                found[chunk.index].extend(chunk.own(spans))
        yield from found


class _Chunk:
    """Characters start:end of text `index` of a batch, given to the model with CONTEXT characters
    either side, so that the CNN sees at a cut what it sees elsewhere; a span is the chunk's when it
    starts inside it."""

    CONTEXT = 100

    def __init__(self, index: int, start: int, end: int, text: str) -> None:
        self.index, self.start, self.end = index, start, end
        self.offset = max(0, start - self.CONTEXT)
        self.text = text[self.offset:end + self.CONTEXT]

    def own(self, spans: list[tuple[str, int, int]]) -> Iterator[tuple[str, int, int]]:
        for label, s, e in spans:
            if self.start <= s + self.offset < self.end:
                yield label, s + self.offset, e + self.offset


def _bounded(chunks: list[_Chunk], batch_size: int) -> Iterator[list[_Chunk]]:
    batch: list[_Chunk] = []
    size = 0
    for chunk in chunks:
        if batch and (len(batch) >= batch_size or size + len(chunk.text) > BATCH_CHARS):
            yield batch
            batch, size = [], 0
        batch.append(chunk)
        size += len(chunk.text)
    if batch:
        yield batch


def _model_spans(texts: list[str], min_confidence: float) -> Iterator[list[tuple[str, int, int]]]:
    """The spans of one batch; the tagger's scores are read directly (its own annotation keeps only
    the best tag, not how sure it was)."""
    nlp = load_model()
    tok2vec = cast(TrainablePipe, nlp.get_pipe("tok2vec"))
    tagger = cast(TrainablePipe, nlp.get_pipe("tagger"))
    labels: list[str] = list(tagger.labels)
    outside = labels.index(OUTSIDE)
    docs = [nlp.make_doc(text) for text in texts]
    filled = [doc for doc in docs if len(doc)]
    scores: Iterator[Any] = iter(())
    if filled:
        # the tagger's listener reads the vectors tok2vec leaves on each Doc
        tok2vec.set_annotations(filled, tok2vec.predict(filled))
        scores = iter(tagger.model.predict(filled))
    for doc in docs:
        if not len(doc):
            yield []
            continue
        logits = next(scores)  # the tagger's output is not normalised: softmax for probabilities
        best = logits.argmax(axis=1)
        # only the characters not tagged O are looked at in Python: a few percent of a text
        named = numpy.flatnonzero(best != outside).tolist()
        if not named:
            yield []
            continue
        exp = numpy.exp(logits[named] - logits[named].max(axis=1, keepdims=True))
        sure = dict(zip(named, (1.0 / exp.sum(axis=1)).tolist(), strict=True))
        tags = dict(zip(named, (labels[i] for i in best[named].tolist()), strict=True))
        yield [(label, start, end) for label, start, end in decode_sparse(tags)
               if end - start >= 2 and min(sure[i] for i in range(start, end)) >= min_confidence]
