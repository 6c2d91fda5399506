// Ledger rows: one TRANSFERRED per transfer (`fid`: the bank's serial, else from/to/amount/time),
// so the same transfer in both banks' statements is one relationship with both sources.
UNWIND $rows AS row
MATCH (a:Account {key: row.f})
MATCH (b:Account {key: row.t})
MERGE (a)-[r:TRANSFERRED {fid: row.fid}]->(b)
ON CREATE SET r.tx_id = row.tx_id, r.amount = row.amount, r.at = row.at, r.sources = [row.source]
ON MATCH SET r.sources = CASE WHEN row.source IN r.sources THEN r.sources ELSE r.sources + row.source END
