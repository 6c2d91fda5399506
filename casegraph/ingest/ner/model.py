"""The packaged name model: loaded once per process from `casegraph/ingest/ner/model` (never from
the network), and its PERSON/ORG spans for a batch of texts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path

import spacy
from spacy.language import Language

from casegraph.errors import ConfigError

# registered by import: the tokenizer and the scorer the model's config names
from casegraph.ingest.ner import chars, scoring  # noqa: F401
from casegraph.ingest.ner.tags import OUTSIDE, decode

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


def spans_of(texts: Iterable[str], batch_size: int = 32) -> Iterator[list[tuple[str, int, int]]]:
    """(label, start, end) character spans for each text, in order; texts go through `nlp.pipe`
    in batches, which lets the CNN work on one large matrix per batch."""
    nlp = load_model()
    tagger = nlp.get_pipe("tagger")
    names = {nlp.vocab.strings[label]: label for label in tagger.labels}  # type: ignore[attr-defined]
    for doc in nlp.pipe(texts, batch_size=batch_size):
        yield decode([names.get(tag, OUTSIDE) for tag in doc.to_array("TAG").tolist()])
