"""One token per character: Chinese has no spaces, and a name's boundary can fall between any two
characters (张伟供述, 现已审理终结新野县人民检察院), so the model sees and labels every character.
Token i is character i of the text, which keeps offsets trivial. (The rule pipeline's tokenizer
makes clause-sized tokens, inside which most names begin and end.)"""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from casegraph.ingest.tokenizer import CharTokenizer


class CharacterTokenizer(CharTokenizer):
    """Stateless like the rule pipeline's tokenizer, whose (empty) serialisation it shares."""

    def __call__(self, text: str) -> Doc:
        words = list(text)
        return Doc(self.vocab, words=words, spaces=[False] * len(words))


@registry.tokenizers("casegraph.zh_characters.v1")
def create_character_tokenizer() -> Callable[[Language], CharacterTokenizer]:
    def make(nlp: Language) -> CharacterTokenizer:
        return CharacterTokenizer(nlp.vocab)

    return make
