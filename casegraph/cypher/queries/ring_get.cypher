// The members of one ring the caller's agency may see, each with only its visible sources (the
// ring's figures come from rings_visible).
MATCH (r:Ring {id: $id})-[h:HAS_MEMBER]->(m)
WITH h, m, [s IN coalesce(h.sources, []) WHERE EXISTS { MATCH (d:Document {key: s}) WHERE d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() } }] AS seen
WHERE size(seen) > 0
WITH h, m, seen ORDER BY labels(m)[0], m.key
RETURN collect([m.key, labels(m)[0], coalesce(m.name, m.number, m.text), h.why, seen]) AS members
