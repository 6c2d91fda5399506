"""What every reader returns."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from casegraph.errors import UnreadableFile
from casegraph.model import Transaction


@dataclass(slots=True)
class ReadResult:
    """The text of a file and the offsets that lead back to pages (PDF) or rows (ledgers)."""

    text: str
    sha256: str
    format: str
    encoding: str | None = None
    page_starts: list[int] = field(default_factory=list)
    row_starts: list[int] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    layout: str | None = None
    warnings: list[str] = field(default_factory=list)


def read_bytes(path: Path) -> tuple[bytes, str]:
    """The file's bytes and their sha256; an empty file is refused here, once for all readers."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(str(path), f"cannot read file: {exc.strerror}") from exc
    if not raw.strip():
        raise UnreadableFile(str(path), "empty file")
    return raw, hashlib.sha256(raw).hexdigest()


def file_sha256(path: Path, block: int = 1 << 20) -> str:
    """The sha256 of a file read in blocks: a 200 MB ledger is never in memory whole."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(block):
            digest.update(chunk)
    return digest.hexdigest()
