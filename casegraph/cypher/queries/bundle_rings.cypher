// The rings of the latest detection run (the run GET /v1/rings lists) that any of the given entities
// belongs to, through a HAS_MEMBER source the caller's agency may see. Their members and explanations
// are then read with casegraph.graph.rings.get_ring, within the same sharing.
MATCH (run:DetectionRun)
WITH run ORDER BY run.finished_at DESC LIMIT 1
MATCH (run)-[:FOUND]->(r:Ring)-[h:HAS_MEMBER]->(m)
WHERE m.key IN $keys
  AND any(s IN coalesce(h.sources, []) WHERE EXISTS { MATCH (d:Document {key: s}) WHERE (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() }) })
WITH DISTINCT r
RETURN r.id AS ring, r.score AS score
ORDER BY score DESC, ring
