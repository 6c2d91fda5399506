// Transfers from the given accounts to accounts of $within (the parties' accounts and their nearest
// counterparties) that a visible document states: the paths and patterns between the parties, without
// everything a busy counterparty (a platform, a clearing account) does with the rest of the world.
// An account with more than $hub_transfers transfers is not followed (a degree read, no expansion).
UNWIND $accounts AS ak
MATCH (a:Account {key: ak})
WHERE COUNT { (a)-[:TRANSFERRED]-() } <= $hub_transfers
MATCH (a)-[r:TRANSFERRED]->(e:Account)
WHERE e.key IN $within
WITH r, a AS s, e, [s IN r.sources WHERE EXISTS { MATCH (d:Document {key: s}) WHERE (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() }) }] AS seen
WHERE size(seen) > 0
RETURN elementId(r) AS id, s.key AS source, e.key AS target, toFloat(r.amount) AS amount, toString(r.at) AS at,
       r.tx_id AS tx_id, r.row AS row, seen AS sources,
       [(s)-[m:MENTIONED_IN]->(d) WHERE d.key IN seen | {document: d.key, start: m.start, end: m.end, page: m.page}][..3] AS mentions
ORDER BY id
