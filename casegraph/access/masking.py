"""Masking of resident IDs, USCCs and card/account numbers for roles that do not need them in full.

Investigators and prosecutors work cases and see identifiers in full. Analysts look for patterns
and admins administer: for them an 18-character resident ID keeps its region code and last four
(`500103********4515`), a USCC the same shape (`915001********0X3A`), and an account number its
first and last four (`6222***********3446`). Masking rewrites every string of a response, keys
included, so no field escapes it; the API applies it once, on the way out (api/masking_layer.py).

Two kinds of strings are left as they are because they are server-made and never identifiers:
the audit chain's hex digests (`hash`, `prev_hash`: an admin must be able to check them) and
opaque ids (jobs, access requests, grants, decisions, audit records) whose hex may hold a digit run
that would otherwise read as an account number and break the id a client must send back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

_FULL_ROLES = frozenset({"investigator", "prosecutor"})

# Digit runs not glued to other digits: an 18-character resident ID (last may be X) or a
# 15-digit old ID, and account/card numbers of 12 to 30 digits.
_RIC = re.compile(r"(?<![0-9])([0-9]{6})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9])")
_OLD_RIC = re.compile(r"(?<![0-9])([0-9]{6})[0-9]{6}([0-9]{3})(?![0-9])")
_ACCOUNT = re.compile(r"(?<![0-9])([0-9]{4})([0-9]{4,22})([0-9]{4})(?![0-9])")
# GB 32100-2015: department and kind (2), region (6), organisation code (9), check (1), in the
# code's alphabet (digits and capitals without I, O, S, V, Z); letters around it make it a word.
_USCC_CHAR = "0-9A-HJ-NPQRTUWXY"
_USCC = re.compile(rf"(?<![0-9A-Za-z])([{_USCC_CHAR}]{{2}}[0-9]{{4}})[{_USCC_CHAR}]{{8}}([{_USCC_CHAR}]{{4}})"
                   rf"(?![0-9A-Za-z])")

# Server-made ids: a lower-case hex token of the lengths uuid4 and SHA-256 give (16, 32, 64) with
# at least one letter (an identifier has none), optionally after a kind prefix (`req-`,
# `decision:`) or inside an API path (`/v1/jobs/<id>`).
_OPAQUE = re.compile(r"(?:/v1/[a-z/-]+/)?(?:[a-z]+[-:])?(?=[0-9]*[a-f])(?:[0-9a-f]{16}|[0-9a-f]{32}|[0-9a-f]{64})"
                     r"(?:/[a-z]+)?")
_DIGESTS = frozenset({"hash", "prev_hash"})
# An entity's opaque handle (access/handles.py): server-made, hex, never an identifier.
_HANDLE = re.compile(r"h:[0-9a-f]{34,600}")
_HANDLE_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(h:[0-9a-f]{34,600})(?![0-9a-f])")
# An entity key: its whole text stands for the entity, so a masked role gets a handle instead.
_ENTITY_KEY = re.compile(r"(?:ric|uscc|acct|name|mention|split|addr|case|phone):\S+")
_DIGIT_RUN = re.compile(r"[0-9]{12}")


def masks_for(role: str) -> bool:
    return role not in _FULL_ROLES


def mask_text(text: str) -> str:
    """`text` with every resident ID, USCC and account number in it masked."""
    if _OPAQUE.fullmatch(text) or _HANDLE.fullmatch(text):
        return text
    if "h:" in text and _HANDLE_IN_TEXT.search(text):
        # A handle inside a text (an event stream's JSON is masked as text) is hex, and hex holds runs
        # of twelve or more digits by chance: masked, it would name nothing.
        pieces = _HANDLE_IN_TEXT.split(text)
        return "".join(piece if i % 2 else _mask_plain(piece) for i, piece in enumerate(pieces))
    return _mask_plain(text)


def _mask_plain(text: str) -> str:
    text = _USCC.sub(_mask_uscc, text)
    if not _DIGIT_RUN.search(text):  # every other shape has a run of at least 12 digits
        return text
    text = _RIC.sub(lambda m: m.group(1) + "*" * 8 + m.group(2), text)
    text = _OLD_RIC.sub(lambda m: m.group(1) + "*" * 6 + m.group(2), text)
    return _ACCOUNT.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)


def _mask_uscc(match: re.Match[str]) -> str:
    code = match.group(0)
    if code.isdigit() and code[-1].isdigit():
        return code  # eighteen digits: the resident ID pattern masks it, and so keeps its shape
    return match.group(1) + "*" * 8 + match.group(2)


Handle = Callable[[str], str]


def _masked(text: str, handle: Handle | None) -> str:
    masked = mask_text(text)
    if handle is not None and masked != text and _ENTITY_KEY.fullmatch(text):
        return handle(text)  # a key that masking would break: its handle, which the caller can send back
    return masked


def mask_value(value: Any, handle: Handle | None = None) -> Any:
    """A copy of a JSON-like value with every string masked, dict keys included (a map keyed by
    entity key must not carry them in full); the audit chain's digests are kept. With `handle`,
    an entity key holding an identifier becomes that key's opaque handle instead."""
    if isinstance(value, str):
        return _masked(value, handle)
    if isinstance(value, dict):
        return {_masked(k, handle): (v if k in _DIGESTS and isinstance(v, str) else mask_value(v, handle))
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(v, handle) for v in value]
    return value


def mask_json(body: bytes, handle: Handle | None = None) -> bytes:
    """A JSON document with every string in it masked; a body that is not JSON is masked as text."""
    try:
        value = json.loads(body)
    except ValueError:
        return mask_text(body.decode("utf-8", "replace")).encode("utf-8")
    return json.dumps(mask_value(value, handle), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
