"""Builds the spaCy pipeline from `resources/pipeline.cfg`, once per process."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import spacy
from spacy.language import Language

# imported for their side effect: the factories and the tokenizer register themselves
from casegraph.ingest import components, tokenizer  # noqa: F401

CONFIG = "pipeline.cfg"


def build_pipeline() -> Language:
    config_text = resources.files("casegraph.ingest").joinpath("resources", CONFIG).read_text(encoding="utf-8")
    config = spacy.util.load_config_from_str(config_text)
    return spacy.util.load_model_from_config(config, auto_fill=True, validate=True)


@lru_cache(maxsize=1)
def get_pipeline() -> Language:
    """The process's pipeline; ingest workers call extraction per file, so it is built only once."""
    return build_pipeline()
