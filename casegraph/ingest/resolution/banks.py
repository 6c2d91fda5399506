"""The bank of an account number, as the sentence that writes it says: `中国农业银行账户6228…`,
`在中国工商银行重庆解放碑支行开立的账户6222…`, `建行卡号：6217…`.

The bank is the organisation mention that ends shortly before the number within the same clause, when
it names a bank; a branch (`…支行`, `…分行`) is reduced to its bank, which is what an account belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from casegraph.model import Mention

# Between the bank and the number: the branch, "开立的", "账户/卡号/账号" and a colon, not another clause.
MAX_GAP = 24
_CLAUSE_END = re.compile(r"[，,。；;！？\n]")
_BANK = re.compile(r"^(.*?银行)")


def bank_before(text: str, account: Mention, mentions: Iterable[Mention]) -> str | None:
    """The bank named right before `account` in `text`, or None."""
    best: Mention | None = None
    for m in mentions:
        if m.type != "ORG" or m.end > account.start or account.start - m.end > MAX_GAP or "银行" not in m.text:
            continue
        if _CLAUSE_END.search(text, m.end, account.start):
            continue
        if best is None or m.end > best.end:
            best = m
    if best is None:
        return None
    head = _BANK.match(best.text)
    return head.group(1) if head else None
