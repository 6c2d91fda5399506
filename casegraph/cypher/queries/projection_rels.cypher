// Facts of one type with at least one visible source; only visible sources are returned.
// Flat scalar columns (no maps) keep the Bolt decoding cheap: this is the projection's hot path.
MATCH (d:Document)
WHERE $agency IS NULL OR d.agency = $agency OR d.sharing = 'shared'
   OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, []))
   OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() }
WITH collect(d.key) AS visible
MATCH (a)-[r:{type}]->(b)
WITH a, r, b, [s IN coalesce(r.sources, []) WHERE s IN visible] AS seen
WHERE size(seen) > 0
RETURN a.key AS from, b.key AS to, seen AS sources, r.amount AS amount, r.at AS at, r.tx_id AS tx_id,
       r.role AS role, r.memo AS memo
