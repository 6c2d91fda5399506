// Ledger rows that transfers_add_sources did not find, under the writer lock: one TRANSFERRED per
// transfer (`fid`: the bank's serial, else from/to/amount/time), so the same transfer in both
// banks' statements stays one relationship with both sources.
// replan=skip: the plan is key seeks whatever the statistics say; during an ingest they change
// so fast that the server would otherwise re-plan every writer statement each 10 s.
CYPHER replan=skip
UNWIND $rows AS row
MATCH (a:Account {key: row.f})
MATCH (b:Account {key: row.t})
// debit_seen / credit_seen: the payer's / the payee's statement listed it (null: not seen), which
// late_credit_candidates reads to join a credit booked days after its debit.
CREATE (a)-[:TRANSFERRED {fid: row.fid, tx_id: row.tx_id, amount: row.amount, at: row.at, sources: row.sources,
                          debit_seen: row.debit, credit_seen: row.credit}]->(b)
