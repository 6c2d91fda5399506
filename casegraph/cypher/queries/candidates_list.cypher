// Open candidates, best first, among nodes the caller's agency $agency may see (a visible source each);
// $agency null is the CLI's local admin, who sees all.
MATCH (a:{label})-[r:POSSIBLY_SAME_AS]->(b:{label})
WHERE r.status = 'open'
  AND ($agency IS NULL OR EXISTS { MATCH (d:Document) WHERE d.key IN coalesce(a.sources, []) AND (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() }) })
  AND ($agency IS NULL OR EXISTS { MATCH (d:Document) WHERE d.key IN coalesce(b.sources, []) AND (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() }) })
RETURN a.key AS a, a.name AS a_name, b.key AS b, b.name AS b_name, r.score AS score, r.reasons AS reasons
ORDER BY r.score DESC, a.key, b.key
LIMIT $limit
