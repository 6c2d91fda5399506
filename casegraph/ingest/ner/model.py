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

MODEL_FOLDER = "model"
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

    Texts are taken in batches, which lets the CNN work on one large matrix per batch; the tagger's
    scores are read directly (its own annotation keeps only the best tag, not how sure it was)."""
    nlp = load_model()
    tok2vec = cast(TrainablePipe, nlp.get_pipe("tok2vec"))
    tagger = cast(TrainablePipe, nlp.get_pipe("tagger"))
    labels: list[str] = list(tagger.labels)
    outside = labels.index(OUTSIDE)
    for batch in minibatch(texts, batch_size):
        docs = [nlp.make_doc(text) for text in batch]
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
