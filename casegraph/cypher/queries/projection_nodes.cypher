// Entities of one label with at least one visible source document; flat scalar columns only.
MATCH (d:Document)
WHERE $agency IS NULL OR d.agency = $agency OR d.sharing = 'shared'
   OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, []))
   OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() }
WITH collect(d.key) AS visible
MATCH (n:{label})
WITH n, [s IN coalesce(n.sources, []) WHERE s IN visible] AS seen
WHERE size(seen) > 0
RETURN n.key AS key, coalesce(n.name, n.number, n.text) AS label, coalesce(n.regions, []) AS regions,
       seen AS sources
