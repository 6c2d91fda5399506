"""Card numbers and the account numbers behind them, held in the graph.

A statement read with its account-opening data writes each card as the alias of its account
(`KeyAlias`, the redirect a merge leaves): an Account node already keyed by the card is merged into the
account's, and every later write naming the card — a text's mention, another bank's statement read
without that opening data — lands on the account. Ledger rows are turned to the account numbers before
their transfer identity is made, so that the same transfer meets itself however each bank wrote it.
"""

from __future__ import annotations

from collections.abc import Iterable

from neo4j import Driver

from casegraph.graph.linking import merge_nodes
from casegraph.graph.queries import cypher
from casegraph.graph.writer import key_aliases
from casegraph.ingest.readers.account_opening import AccountLinks
from casegraph.model import Transaction


def redirect_accounts(driver: Driver, database: str, transactions: Iterable[Transaction],
                      links: AccountLinks) -> None:
    """Write the batch's card numbers as their accounts where the graph already knows the card (in place),
    and remember those links for the rest of the statement."""
    rows = list(transactions)
    numbers = {n for t in rows for n in (t.from_account, t.to_account, t.own_account) if n} - set(links.card_of)
    if not numbers:
        return
    for key, target in key_aliases(driver, database, (f"acct:{n}" for n in numbers)).items():
        if key.startswith("acct:") and target.startswith("acct:"):
            links.card_of[key.removeprefix("acct:")] = target.removeprefix("acct:")
    canonical = links.canonical
    for t in rows:
        t.from_account, t.to_account = canonical(t.from_account), canonical(t.to_account)
        t.own_account = canonical(t.own_account) if t.own_account else t.own_account


def alias_cards(driver: Driver, database: str, links: AccountLinks, accounts: Iterable[str]) -> int:
    """Make each card of `accounts` (numbers) an alias of its account: an existing card node is merged into
    the account's; the number of merges."""
    pairs = [(f"acct:{account}", f"acct:{card}") for account in accounts for card in links.cards_of(account)]
    if not pairs:
        return 0
    merged = merge_nodes(driver, database, "Account", [(a, c, ["account_opening"]) for a, c in pairs])
    driver.execute_query(cypher("account_card_aliases"), rows=[{"account": a, "card": c} for a, c in pairs],
                         database_=database)
    return merged
