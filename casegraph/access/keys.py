"""API keys: generated with 256 bits of randomness, stored only as their SHA-256.

A fast hash is enough here, unlike for passwords: a key is random, not chosen by a person, so
there is no dictionary to try and 2^256 candidates to search; a slow hash (bcrypt, argon2) would
only add milliseconds to every request without adding safety.
"""

from __future__ import annotations

import hashlib
import secrets

KEY_PREFIX = "cgk_"


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def looks_like_key(text: str) -> bool:
    return text.startswith(KEY_PREFIX) and 20 <= len(text) <= 100
