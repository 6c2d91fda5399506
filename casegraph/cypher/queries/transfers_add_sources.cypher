// Ledger rows whose transfer is already in the graph (the other bank's statement, or this one
// written before): found through the TRANSFERRED(fid) index, not by walking a busy account's
// relationships; they gain the new sources. Returns the row numbers found, the rest are new.
// replan=skip: the plan is key seeks whatever the statistics say; during an ingest they change
// so fast that the server would otherwise re-plan every writer statement each 10 s.
CYPHER replan=skip
UNWIND $rows AS row
MATCH (a)-[r:TRANSFERRED {fid: row.fid}]->(b)
WHERE a.key = row.f AND b.key = row.t
SET r.sources = r.sources + [s IN row.sources WHERE NOT s IN r.sources],
    // a transfer an indictment told first has its day only: the statement's clock and serial are more exact
    r.at = CASE WHEN size(row.at) > size(r.at) THEN row.at ELSE r.at END,
    r.tx_id = coalesce(r.tx_id, row.tx_id),
    r.debit_seen = coalesce(r.debit_seen, row.debit),
    r.credit_seen = coalesce(r.credit_seen, row.credit)
RETURN DISTINCT row.i AS i
