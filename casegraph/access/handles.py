"""Opaque handles: how a masked role (analyst, admin) names an entity whose key holds an identifier.

Masking `ric:500103198503124515` to `ric:500103********4515` hides the number but also breaks the
key: the caller cannot send it back to expand a chart node or open the entity. So for masked callers
every such key in an answer becomes a handle, `h:` and the key encrypted with AES-SIV (deterministic
authenticated encryption, from the `cryptography` package): the same key always gives the same
handle (a chart keyed by it does not repeat nodes), only this server can turn it back into the key,
and a changed or made-up handle is refused rather than decoded to something else. Requests carry
handles back; the API layer decodes them before routing, so routes, sharing and audit see keys.

The secret is shared by every process of one installation: CASEGRAPH_HANDLE_SECRET (hex), or a
file `handle.key` in the casegraph home made on first use.
"""

from __future__ import annotations

import binascii
import os
import re
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

PREFIX = "h:"
_CONTEXT = [b"casegraph entity handle v1"]
_SECRET_BYTES = 64  # AES-SIV with two 256-bit keys
_HANDLE = re.compile(r"h:[0-9a-f]{34,600}")


def _secret_from_home(home: Path) -> bytes:
    path = home / "handle.key"
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        pass
    home.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use that one
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    secret = os.urandom(_SECRET_BYTES)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secret.hex())
    return secret


class Handles:
    def __init__(self, secret: bytes) -> None:
        if len(secret) != _SECRET_BYTES:
            raise ValueError(f"the handle secret must be {_SECRET_BYTES} bytes")
        self._siv = AESSIV(secret)

    @classmethod
    def for_installation(cls, home: Path, secret_hex: str | None = None) -> Handles:
        return cls(bytes.fromhex(secret_hex) if secret_hex else _secret_from_home(home))

    @lru_cache(maxsize=65_536)  # noqa: B019 -- one instance per app, keys repeat across answers
    def handle(self, key: str) -> str:
        return PREFIX + self._siv.encrypt(key.encode("utf-8"), _CONTEXT).hex()

    def key(self, text: str) -> str | None:
        """The key a handle stands for; None when `text` is no handle this installation made."""
        if not _HANDLE.fullmatch(text):
            return None
        try:
            return self._siv.decrypt(bytes.fromhex(text[len(PREFIX):]), _CONTEXT).decode("utf-8")
        except (InvalidTag, ValueError, binascii.Error, UnicodeDecodeError):
            return None
