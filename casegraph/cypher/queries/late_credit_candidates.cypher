// The transfers one statement alone listed (a debit the payee's statement has not shown, or a credit
// the payer's has not) of each new row's payer, payee and amount within LATE_CREDIT_DAYS of its day:
// a credit booked days after its debit is two such rows (graph.late_credits pairs them).
// `at` is an ISO string in Beijing time, so a day range is a string range.
CYPHER replan=skip
UNWIND $rows AS row
MATCH (a:Account {key: row.f})-[r:TRANSFERRED]->(b:Account {key: row.t})
WHERE r.at >= row.lo AND r.at < row.hi AND round(r.amount * 100) = round(row.amount * 100)
  AND (r.debit_seen IS NULL) <> (r.credit_seen IS NULL)
RETURN DISTINCT elementId(r) AS id, row.f AS f, row.t AS t, round(row.amount * 100) AS cents, r.at AS at,
       r.debit_seen IS NOT NULL AS debit
