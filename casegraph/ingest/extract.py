"""Case-file extraction entry point: a file in, an ExtractedDocument out.

`extract_file` reads any supported format (see `readers`) and runs the spaCy pipeline over the
text; ledgers skip the pipeline and give transactions instead. `extract_text` runs the pipeline
over text already read. Patterns run on a normalised copy of the text; every Mention's offsets
and `text` refer to the original text (`normalize.NormalizedText.to_original`).
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from casegraph.ingest import kinds
from casegraph.ingest.components.base import RELATIONS_KEY, selected
from casegraph.ingest.nlp import get_pipeline
from casegraph.ingest.normalize import NormalizedText, normalise
from casegraph.ingest.pieces import PIECE_CHARS, pieces
from casegraph.ingest.readers import ReadResult, read_file
from casegraph.model import ExtractedDocument, Mention, Relation, Transaction

LEDGER_FORMATS = ("csv", "xlsx")
VOCAB_LIMIT = 200_000


def _page(page_starts: list[int], offset: int) -> int | None:
    """1-based page number of an offset, or None for texts without pages."""
    return bisect_right(page_starts, offset) if page_starts else None


def run_pipeline(text: str) -> Doc:
    """The pipeline's components over `text`, as `Language.__call__` runs them, without its
    per-component bookkeeping (error handlers, timing hooks): on short case files that
    bookkeeping cost as much as a component."""
    nlp = _fresh_pipeline()
    doc = nlp.make_doc(text)
    for component in _components(nlp):
        doc = component(doc)
    return doc


def _fresh_pipeline() -> Language:
    nlp = get_pipeline()
    if len(nlp.vocab) > VOCAB_LIMIT:
        # spaCy keeps a lexeme for every distinct token string it has seen, and clause-sized
        # tokens are mostly distinct: a fresh pipeline bounds a long ingest's memory
        get_pipeline.cache_clear()
        nlp = get_pipeline()
    return nlp


@lru_cache(maxsize=4)
def _components(nlp: Language) -> tuple[Callable[[Doc], Doc], ...]:
    # Language.pipeline builds a new list on every access
    return tuple(component for _, component in nlp.pipeline)


def extract_text(text: str, path: str = "<text>", sha256: str = "",
                 page_starts: list[int] | None = None) -> ExtractedDocument:
    """Run the pipeline over `text` (piece by piece when it is long); `page_starts` (PDF) gives each
    mention its page."""
    normalised = normalise(text)
    docs = ((start, run_pipeline(normalised.text[start:end])) for start, end in pieces(normalised.text))
    return _document(text, normalised, docs, path, sha256, page_starts)


def extract_texts(texts: Iterable[str], batch_size: int = 32) -> Iterator[ExtractedDocument]:
    """`extract_text` for many texts through `nlp.pipe`: the name model then runs on a batch of
    documents at once, which costs it less per character than one document at a time."""
    nlp = _fresh_pipeline()
    for batch in minibatch(texts, batch_size):
        long = [len(text) > PIECE_CHARS for text in batch]
        normalised = [normalise(text) for text, too_long in zip(batch, long, strict=True) if not too_long]
        piped = iter(zip(normalised, nlp.pipe((n.text for n in normalised), batch_size=batch_size), strict=True))
        for text, too_long in zip(batch, long, strict=True):
            if too_long:
                yield extract_text(text)
                continue
            folded, doc = next(piped)
            yield _document(text, folded, [(0, doc)], "<text>", "", None)


def _document(text: str, normalised: NormalizedText, docs: Iterable[tuple[int, Doc]], path: str, sha256: str,
              page_starts: list[int] | None) -> ExtractedDocument:
    """The document from the pipeline's docs of its pieces, each with its offset in the normalised text."""
    pages = page_starts or []
    document = ExtractedDocument(path=path, sha256=sha256 or hashlib.sha256(text.encode()).hexdigest(),
                                 text=text, kind=kinds.classify(text[:PIECE_CHARS]), page_starts=list(pages))
    for piece_start, doc in docs:
        # Offsets in a piece are offsets in the normalised text less piece_start; relations name
        # mentions by their index in the piece, so by that plus the mentions of earlier pieces.
        base = len(document.entities)
        for candidate in selected(doc):
            start, end = normalised.to_original(candidate.start + piece_start, candidate.end + piece_start)
            # cue_start is an offset into the normalised text, of no use outside
            attrs = candidate.attrs
            attrs = {k: v for k, v in attrs.items() if k != "cue_start"} if "cue_start" in attrs else dict(attrs)
            document.entities.append(Mention(candidate.label, text[start:end], start, end, candidate.normalized,
                                             candidate.valid, _page(pages, start), attrs))
            if candidate.label == "CASE_NUMBER" and candidate.attrs.get("own"):
                document.case_number = candidate.normalized
        for found in doc.user_data.get(RELATIONS_KEY, []):
            source = found.source + base if found.source >= 0 else found.source
            target = found.target + base if found.target >= 0 else found.target
            document.relations.append(Relation(found.type, source, target, found.role, dict(found.attrs)))
    return document


def _ledger_document(path: Path, read: ReadResult) -> ExtractedDocument:
    document = ExtractedDocument(path=str(path), sha256=read.sha256, text=read.text, kind="ledger",
                                 transactions=list(read.transactions), errors=list(read.warnings))
    document.entities.extend(_ledger_accounts(read.text, read.row_starts, read.transactions))
    return document


def _ledger_accounts(text: str, row_starts: list[int], transactions: list[Transaction]) -> list[Mention]:
    """BANK_ACCOUNT mentions for the account cells of each transaction row, located in its line."""
    mentions: list[Mention] = []
    for transaction in transactions:
        index = transaction.row - 1
        if index >= len(row_starts):
            continue
        line_start = row_starts[index]
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        for number in {transaction.from_account, transaction.to_account}:
            at = text.find(number, line_start, line_end) if number else -1
            if at >= 0:
                mentions.append(Mention("BANK_ACCOUNT", number, at, at + len(number), number, number.isdigit(),
                                        attrs={"row": transaction.row}))
    mentions.sort(key=lambda m: m.start)
    return mentions


def extract_file(path: Path, columns: dict[str, str] | None = None) -> ExtractedDocument:
    """Read and extract one file. Raises UnreadableFile for a file that must be quarantined;
    `columns` is an explicit ledger column mapping (field -> header text) that wins over presets."""
    read = read_file(path, columns)
    if read.format in LEDGER_FORMATS:
        return _ledger_document(path, read)
    document = extract_text(read.text, str(path), read.sha256, read.page_starts)
    document.errors.extend(read.warnings)
    return document
