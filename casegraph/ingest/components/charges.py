"""CHARGE: the Criminal Law's financial and fraud charges by name, and other named charges after
the words that introduce a charge (涉嫌, 犯, 构成, 以 ... 罪)."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from casegraph.ingest import lexicon
from casegraph.ingest.components.base import Candidate, candidates, doc_text, first_chars, led

_INTRODUCED = led("涉犯构以认罪定", r"(?:涉嫌|犯有|犯|构成|以|认定为|罪名为|罪名是|定性为)([\u4e00-\u9fff、]{2,14}?罪)(?!犯|名|行)")
_NOT_IN_CHARGE = frozenset("某人嫌被告其的了该本此与和及等犯")


@lru_cache(maxsize=1)
def _known() -> re.Pattern[str]:
    return led(first_chars(lexicon.charges()), "|".join(re.escape(name) for name in lexicon.charges()))


@Language.factory("casegraph_charges", assigns=["doc.user_data"])
def make_charges(nlp: Language, name: str) -> ChargeFinder:
    return ChargeFinder()


class ChargeFinder:
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        found = candidates(doc)
        known = _known()
        for match in known.finditer(text):
            found.append(Candidate("CHARGE", match.start(), match.end(), match.group(), True, score=1))
        for match in _INTRODUCED.finditer(text):
            body = match.group(1)
            # 犯罪情节 / 判处有期徒刑以上刑罚之罪: words about crime, not a named charge
            if known.fullmatch(body) or _NOT_IN_CHARGE.intersection(body[:-1]) or body[0] == "罪" \
                    or "刑" in body or body.endswith("之罪"):
                continue
            found.append(Candidate("CHARGE", match.start(1), match.end(1), body, True, {"listed": False}))
        return doc
