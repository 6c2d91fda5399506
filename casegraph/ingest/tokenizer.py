"""A cheap tokenizer for the zh pipeline: one token per run of Chinese characters, digits, Latin
letters or whitespace, and one per other character (punctuation).

spaCy's own zh "char" segmenter makes a token of every character, and building those token
objects was most of the pipeline's cost. The rule components work on character offsets of the
text, not on tokens, so the Doc only needs to exist for the pipeline's contract and for the
final `doc.spans`: clause-sized chunks make it about five times smaller. A span whose entity
boundary falls inside a chunk is expanded to whole tokens in `doc.spans`; the exact offsets
are kept on each candidate and are what extraction reports.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import accumulate

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

TEXT_KEY = "cg_text"
TOKEN_STARTS_KEY = "cg_token_starts"
_TOKEN = re.compile(r"[^\s,.;:!?()\[\]\"、。，；：]+|\s+|.", re.S)


class CharTokenizer:
    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words = _TOKEN.findall(text)
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words))
        # Doc.text joins every token again on each access; the components read it ten times
        doc.user_data[TEXT_KEY] = text
        # where each token starts, for turning character offsets into token spans without
        # asking every token object for its offset
        doc.user_data[TOKEN_STARTS_KEY] = list(accumulate((len(w) for w in words[:-1]), initial=0)) if words else []
        return doc

    # spaCy serialises tokenizers with the pipeline; this one has no state to save
    def to_bytes(self, **kwargs: object) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: object) -> CharTokenizer:
        return self

    def to_disk(self, path: object, **kwargs: object) -> None:
        return None

    def from_disk(self, path: object, **kwargs: object) -> CharTokenizer:
        return self


@registry.tokenizers("casegraph.char_tokenizer.v1")
def create_char_tokenizer() -> Callable[[Language], CharTokenizer]:
    def make(nlp: Language) -> CharTokenizer:
        return CharTokenizer(nlp.vocab)

    return make
