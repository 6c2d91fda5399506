"""A ledger ingested as a stream: rows → transactions → transfer parts, each its own transaction, then
the Document with its accounts' mentions in one last transaction.

A 200 MB statement read whole held its text, rows, transactions and facts at once (over 600 MB of
memory); streamed, the process holds one batch of rows and the set of account numbers. What a
reader sees stays whole: the transfers of the parts have the statement as their only new source, and
facts are shown through a visible Document, which is written last (`write_ledger_document`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from neo4j import Driver

from casegraph.graph.account_aliases import alias_cards, redirect_accounts
from casegraph.graph.facts import AgencyRef, DocumentFacts
from casegraph.graph.writer import WriteStats, retract_ledger_parts, write_ledger_document, write_ledger_part
from casegraph.ingest.readers.ledger_stream import OPENING_LAYOUT, open_ledger
from casegraph.ingest.resolution.document import document_key, document_props, resolve_ledger_head
from casegraph.ingest.resolution.ledger_accounts import LedgerAccounts, transfer_part
from casegraph.model import ExtractedDocument

# Rows per transaction: the writer's batch size for mentions and ledger rows (run.BATCH_MENTIONS).
PART_ROWS = 20_000


def ingest_ledger(driver: Driver, database: str, path: Path, agency: AgencyRef, sharing: str,
                  shared_with: list[str], replaces: list[str], part_rows: int = PART_ROWS) -> tuple[WriteStats, int]:
    """Stream one ledger into the graph; the write stats and the number of transactions read.
    Raises UnreadableFile (nothing written) for a ledger to quarantine."""
    stream = open_ledger(path)
    shell = ExtractedDocument(path=str(path), sha256=stream.sha256, text="", kind="ledger")
    document = document_props(shell, agency, sharing, shared_with)
    accounts = LedgerAccounts(stream.links)
    if stream.layout == OPENING_LAYOUT:
        accounts.add_openings()
    stats = WriteStats()
    read = 0
    in_parts: set[str] = set()  # account keys the parts of this run have written
    try:
        for transactions in stream.batches(part_rows):
            read += len(transactions)
            redirect_accounts(driver, database, transactions, stream.links)
            part = transfer_part(document, accounts.add(transactions), in_parts)
            stats.add(write_ledger_part(driver, database, part))
    except BaseException:
        # a row source that fails midway (an .xlsx part that does not unpack) must not leave half a statement
        retract_ledger_parts(driver, database, document_key(stream.sha256), (f"acct:{n}" for n in accounts.first_row))
        raise
    head = resolve_ledger_head(shell, agency, accounts, sharing, shared_with, replaces)

    def mention_parts() -> Iterator[DocumentFacts]:
        return accounts.mention_parts(document, part_rows)

    written = write_ledger_document(driver, database, head, mention_parts)
    alias_cards(driver, database, stream.links, accounts.first_row)
    written.transfers += stats.transfers
    written.relationships += stats.relationships
    written.nodes += stats.nodes
    written.alerts += stats.alerts
    return written, read
