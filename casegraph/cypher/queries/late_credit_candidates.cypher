// Which new rows have an other side to meet: a transfer of the same payer, payee and amount that only the
// other statement listed (for a new debit, a credit 1 to LATE_CREDIT_DAYS days later; for a new credit, a
// debit as many days before). Most rows have none, and then return nothing: the pairing
// (late_credits_of_groups) runs only for those that do. `at` is an ISO string in Beijing time, so a day
// range is a string range.
// Read from the counterparty's end (`row.other`): the statement's own account has every row of the
// statement, most of them new in this transaction, and expanding it once per row made a 2,000,000-row
// statement's writing quadratic (minutes per part). `toString` keeps the planner from seeking the own
// account and expanding into it from there.
CYPHER replan=skip
UNWIND $rows AS row
MATCH (o:Account {key: row.other})-[r:TRANSFERRED]-(x)
WHERE toString(x.key) = row.own AND startNode(r) = CASE WHEN row.debit THEN x ELSE o END
  AND r.at >= row.lo AND r.at < row.hi AND round(r.amount * 100) = row.cents
  AND CASE WHEN row.debit THEN r.credit_seen IS NOT NULL AND r.debit_seen IS NULL
           ELSE r.debit_seen IS NOT NULL AND r.credit_seen IS NULL END
RETURN DISTINCT row.f AS f, row.t AS t, row.cents AS cents
