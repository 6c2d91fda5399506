"""Masking of resident IDs and card/account numbers for roles that do not need them in full.

Investigators and prosecutors work cases and see identifiers in full. Analysts look for patterns
and admins administer: for them an 18-character resident ID keeps its region code and last four
(`500103********4515`), and an account number its first and last four (`6222***********3446`).
Masking rewrites every string of a response, keys included, so no field escapes it.
"""

from __future__ import annotations

import re
from typing import Any

_FULL_ROLES = frozenset({"investigator", "prosecutor"})

# Digit runs not glued to other digits: an 18-character resident ID (last may be X) or a
# 15-digit old ID, and account/card numbers of 12 to 30 digits.
_RIC = re.compile(r"(?<![0-9])([0-9]{6})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9])")
_OLD_RIC = re.compile(r"(?<![0-9])([0-9]{6})[0-9]{6}([0-9]{3})(?![0-9])")
_ACCOUNT = re.compile(r"(?<![0-9])([0-9]{4})([0-9]{4,22})([0-9]{4})(?![0-9])")


def masks_for(role: str) -> bool:
    return role not in _FULL_ROLES


def mask_text(text: str) -> str:
    """`text` with every resident ID and account number in it masked."""
    text = _RIC.sub(lambda m: m.group(1) + "*" * 8 + m.group(2), text)
    text = _OLD_RIC.sub(lambda m: m.group(1) + "*" * 6 + m.group(2), text)
    return _ACCOUNT.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)


def mask_value(value: Any) -> Any:
    """A copy of a JSON-like value with every string masked (dict keys are field names, kept)."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {k: mask_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(v) for v in value]
    return value
