// Every transfer one statement alone listed of a payer, payee and amount (in cents) within a day range:
// the debits and credits graph.late_credits pairs.
CYPHER replan=skip
UNWIND $groups AS g
MATCH (a:Account {key: g.f})-[r:TRANSFERRED]->(b:Account {key: g.t})
WHERE r.at >= g.lo AND r.at < g.hi AND round(r.amount * 100) = g.cents
  AND (r.debit_seen IS NULL) <> (r.credit_seen IS NULL)
RETURN elementId(r) AS id, g.f AS f, g.t AS t, g.cents AS cents, r.at AS at, r.debit_seen IS NOT NULL AS debit
