"""Builds the spaCy pipeline from `resources/pipeline.cfg`, once per process."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import spacy
from spacy.language import Language

# imported for their side effect: the factories and the tokenizer register themselves
from casegraph.ingest import components, tokenizer  # noqa: F401
from casegraph.ingest.ner import component  # noqa: F401
from casegraph.settings import get_settings

CONFIG = "pipeline.cfg"
NAMES_MODEL = "names_model"


def build_pipeline(names_model: bool | None = None) -> Language:
    """The pipeline of pipeline.cfg; `names_model` (default: the setting) keeps the name model in."""
    config_text = resources.files("casegraph.ingest").joinpath("resources", CONFIG).read_text(encoding="utf-8")
    config = spacy.util.load_config_from_str(config_text)
    if not (get_settings().names_model if names_model is None else names_model):
        config["nlp"]["pipeline"] = [name for name in config["nlp"]["pipeline"] if name != NAMES_MODEL]
        del config["components"][NAMES_MODEL]
    return spacy.util.load_model_from_config(config, auto_fill=True, validate=True)


@lru_cache(maxsize=1)
def get_pipeline() -> Language:
    """The process's pipeline; ingest workers call extraction per file, so it is built only once."""
    return build_pipeline()
