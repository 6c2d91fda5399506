// Rings any of the given entities belongs to, with each member's explanation, where a visible source says so.
MATCH (r:Ring)-[h:HAS_MEMBER]->(m)
WHERE m.key IN $keys
WITH r, h, m, [s IN coalesce(h.sources, m.sources, []) WHERE EXISTS { MATCH (d:Document {key: s}) WHERE (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() }) }] AS seen
WHERE size(seen) > 0
WITH r, m, h, seen ORDER BY m.key
RETURN r.id AS ring, r.typologies AS typologies, r.score AS score, r.regions AS regions,
       collect({key: m.key, why: h.why, sources: seen}) AS members
ORDER BY ring
