"""Training examples from truth files (the generator's truth.json, the hand-written and the real
gold sets): each document's text, normalised as extraction normalises it, with one BIO tag per
character for its PERSON and ORG mentions, stored as a spaCy DocBin.

Sources carry a weight: a document is repeated that many times (a fraction keeps a seeded sample
of the documents), so that the generated corpus, which is large and uniform, does not drown the
real and hand-written texts the model must learn to read.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

from spacy.tokens import DocBin
from spacy.vocab import Vocab

from casegraph.ingest.ner.chars import CharacterTokenizer
from casegraph.ingest.ner.tags import encode
from casegraph.ingest.normalize import normalise, normalise_char


@dataclass(frozen=True, slots=True)
class Source:
    truth: Path
    weight: float


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    spans: tuple[tuple[str, int, int], ...]
    origin: str


def _shift(text: str) -> list[int]:
    """Original offset -> normalised offset (normalisation turns a few characters into several)."""
    return list(accumulate((len(normalise_char(c)) for c in text), initial=0))


def read_examples(truth: Path) -> list[Example]:
    """The text documents of a truth file (ledgers have no names to learn) with their spans."""
    data: dict[str, Any] = json.loads(truth.read_text(encoding="utf-8"))
    examples: list[Example] = []
    for entry in data["documents"]:
        text = entry.get("text")
        if not text or entry.get("kind") == "ledger":
            continue
        normalised = normalise(text)
        at = list(range(len(text) + 1)) if normalised.identity else _shift(text)
        spans = tuple((m["type"], at[m["start"]], at[m["end"]]) for m in entry.get("mentions", [])
                      if m["type"] in ("PERSON", "ORG"))
        examples.append(Example(normalised.text, spans, f"{truth}:{entry.get('path')}"))
    return examples


def weighted(examples: list[Example], weight: float, rng: random.Random) -> list[Example]:
    """`weight` 3 repeats every example three times; 0.5 keeps a seeded half."""
    whole, part = int(weight), weight - int(weight)
    chosen = examples * whole
    if part:
        chosen += rng.sample(examples, round(len(examples) * part))
    return chosen


def to_docbin(examples: list[Example], vocab: Vocab) -> DocBin:
    tokenizer = CharacterTokenizer(vocab)
    docbin = DocBin(attrs=["ORTH", "TAG"], store_user_data=False)
    for example in examples:
        doc = tokenizer(example.text)
        for token, tag in zip(doc, encode(len(example.text), example.spans), strict=True):
            token.tag_ = tag
        docbin.add(doc)
    return docbin


def split_dev(examples: list[Example], share: float, rng: random.Random) -> tuple[list[Example], list[Example]]:
    """A seeded share of the documents for spaCy's own dev score during training."""
    shuffled = examples[:]
    rng.shuffle(shuffled)
    cut = max(1, round(len(shuffled) * share))
    return shuffled[cut:], shuffled[:cut]
