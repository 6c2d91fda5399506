"""A long plain text read as a stream: decoded blocks, never the whole file in memory.

`open_text` settles everything that could refuse the file before any of it is handed on: the cap on
bytes, the encoding (told from the head, as for a whole text, then checked over every block), binary
content and mojibake. A text is therefore refused whole, before anything reaches the graph, or read
to the end. `TextStream.blocks` then decodes the file again, block by block, with the same offsets
as the whole-file reader (`read_txt`): no newline translation, a BOM dropped.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from casegraph.errors import UnreadableFile
from casegraph.ingest.readers.base import file_sha256
from casegraph.ingest.readers.ledger_stream import BLOCK, HEAD, head_text
from casegraph.ingest.readers.limits import IngestLimits, check_size
from casegraph.ingest.readers.txt_reader import check_garbled, check_text


@dataclass(frozen=True, slots=True)
class TextStream:
    path: Path
    sha256: str
    encoding: str

    def blocks(self, size: int = BLOCK) -> Iterator[str]:
        """The decoded text in file order, about `size` bytes at a time."""
        decoder = codecs.getincrementaldecoder(self.encoding)()
        offset = 0
        with self.path.open("rb") as handle:
            while True:
                block = handle.read(size)
                try:
                    text = decoder.decode(block, final=not block)
                except UnicodeDecodeError as exc:
                    raise UnreadableFile(str(self.path), f"wrong encoding: not valid {self.encoding} at byte "
                                                         f"{offset + exc.start}") from exc
                offset += len(block)
                if text:
                    yield text
                if not block:
                    return


def open_text(path: Path, limits: IngestLimits | None = None) -> TextStream:
    """A .txt ready to stream; raises UnreadableFile (having read it once, keeping nothing) for one to
    quarantine."""
    if not path.is_file():
        raise UnreadableFile(str(path), "no such file")
    check_size(path, limits or IngestLimits.from_settings())
    with path.open("rb") as handle:
        head = handle.read(HEAD)
    if not head.strip():
        raise UnreadableFile(str(path), "empty file")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"  # a head cut at a line break could split a UTF-16 unit
    else:
        decoded, encoding = head_text(path, head)
        check_garbled(path, decoded)  # mojibake shows in the first lines as well as in all of them
    stream = TextStream(path, file_sha256(path), encoding)
    for text in stream.blocks():  # the encoding must hold past the head, and no block be binary
        check_text(path, text)
    return stream
