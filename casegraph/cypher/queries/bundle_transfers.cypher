// Transfers into and out of the given accounts that a visible document (ledger or file) states.
UNWIND $accounts AS ak
MATCH (a:Account {key: ak})-[r:TRANSFERRED]-(:Account)
WITH DISTINCT r
WITH r, [s IN r.sources WHERE EXISTS { MATCH (d:Document {key: s}) WHERE (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() }) }] AS seen
WHERE size(seen) > 0
WITH r, seen, startNode(r) AS s, endNode(r) AS e
RETURN elementId(r) AS id, s.key AS source, e.key AS target, toFloat(r.amount) AS amount, toString(r.at) AS at,
       r.tx_id AS tx_id, r.row AS row, seen AS sources,
       [(s)-[m:MENTIONED_IN]->(d) WHERE d.key IN seen | {document: d.key, start: m.start, end: m.end, page: m.page}][..3] AS mentions
ORDER BY id
