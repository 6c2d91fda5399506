"""A ledger's accounts and transfers, gathered a batch of rows at a time.

What a statement states: a transfer for every row with two account numbers (`fid`: payer, payee,
amount, day and its order among equal ones that day — `graph.transfer_identity` — so that the same
transfer in the payer's and the payee's statements is one fact), one mention per account (at the first row naming it), and the holder of
record of the queried account. Only the account numbers and a row number each are kept between
batches, so a statement of millions of rows costs memory by its accounts, not its rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from casegraph import identifiers
from casegraph.graph.facts import DocumentFacts, NodeRow, RelRow, TransferRow
from casegraph.graph.transfer_identity import SameDayCounter, transfer_fid
from casegraph.ingest.readers.account_opening import AccountLinks
from casegraph.model import Transaction

_LEDGER_ACCOUNT = re.compile(r"\d{6,30}")


def account_node(number: str) -> tuple[str, dict[str, Any]]:
    """Key and properties of an Account node."""
    return f"acct:{number}", {"number": number, "is_card": 16 <= len(number) <= 19,
                              "luhn_ok": identifiers.luhn_ok(number)}


def transfer_part(document: dict[str, Any], transfers: list[TransferRow],
                  written: set[str] | None = None) -> DocumentFacts:
    """A batch's transfers and the accounts at their ends as facts of `document`, without mentions:
    written before the Document node exists. With `written` (the account keys that earlier parts of
    this run wrote, updated here), an account is written by the first part that names it only: the
    parts commit in order, so a later part finds it by key. A statement names the same accounts in
    part after part, and each MERGE of one again costs about four times a transfer row's server time."""
    keys = dict.fromkeys(k for t in transfers for k in (t.from_key, t.to_key))
    if written is not None:
        keys = {k: None for k in keys if k not in written}
        written.update(keys)
    nodes = [NodeRow("Account", *account_node(key.removeprefix("acct:"))) for key in keys]
    return DocumentFacts(document=document, nodes=nodes, transfers=transfers)


class LedgerAccounts:
    def __init__(self, links: AccountLinks | None = None) -> None:
        self.first_row: dict[str, int] = {}  # account number -> the first row that names it
        self.holders: dict[str, Transaction] = {}  # own account -> the first row naming its holder's ID
        self._same_day = SameDayCounter()
        # card numbers behind account numbers (开户信息), and the holders the opening records name
        self.links = links if links is not None else AccountLinks()

    def _opening_holder(self, number: str, row: int) -> None:
        """The holder of record an opening record names (户名, 证件号码), once per account."""
        opening = self.links.openings.get(number)
        if opening is not None and opening.holder_id and number not in self.holders:
            self.holders[number] = Transaction("", "", 0.0, "", row, own_account=number,
                                               holder_name=opening.holder_name, holder_id=opening.holder_id)

    def add_openings(self) -> None:
        """An opening file read on its own: each of its accounts, named at its row, with its holder."""
        for row, number in enumerate(self.links.openings, start=1):
            self.first_row.setdefault(number, row)
            self._opening_holder(number, row)

    def aliases(self, number: str) -> list[str]:
        """The card numbers an opening record ties to this account number."""
        return self.links.cards_of(number)

    def add(self, transactions: Iterable[Transaction]) -> list[TransferRow]:
        """Take in a batch of rows; their transfers."""
        transfers: list[TransferRow] = []
        for t in transactions:
            ends = [a if _LEDGER_ACCOUNT.fullmatch(a or "") else None for a in (t.from_account, t.to_account)]
            for number in ends:
                if number and number not in self.first_row:
                    self.first_row[number] = t.row
                    self._opening_holder(number, t.row)
            if ends[0] and ends[1]:
                day = t.at[:10]
                nth = self._same_day.nth(ends[0], ends[1], t.amount, day, t.own_account or "")
                fid = transfer_fid(ends[0], ends[1], t.amount, day, nth)
                side = "debit" if t.own_account == ends[0] else "credit" if t.own_account == ends[1] else None
                transfers.append(TransferRow(f"acct:{ends[0]}", f"acct:{ends[1]}", fid, t.amount, t.at, t.tx_id, side))
            own = t.own_account
            if t.holder_id and own and own in self.first_row and own not in self.holders:
                self.holders[own] = t
        return transfers

    def mention_parts(self, document: dict[str, Any], size: int) -> Iterator[DocumentFacts]:
        """Each account's mention in the statement, `size` accounts a part."""
        doc_row = NodeRow("Document", str(document["key"]))
        numbers = list(self.first_row)
        for start in range(0, len(numbers), size):
            part = DocumentFacts(document=document)
            for number in numbers[start:start + size]:
                node = NodeRow("Account", *account_node(number), aliases=self.aliases(number),
                               merged_on=["account_opening"] if self.aliases(number) else [])
                part.nodes.append(node)
                part.rels.append(RelRow("MENTIONED_IN", "Account", node.key, "Document", doc_row.key, "ledger",
                                        {"row": self.first_row[number], "resolved_by": "account"}))
            yield part
