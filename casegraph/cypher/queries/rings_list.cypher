// The rings of one run (the latest when $run is null), best first, counting only the members the
// caller's agency may see (a member is visible through a visible source of its HAS_MEMBER); a ring
// with no visible member is not listed. Cases are listed only where a visible document is of them.
MATCH (run:DetectionRun)
WHERE $run IS NULL OR run.id = $run
WITH run ORDER BY run.finished_at DESC LIMIT 1
MATCH (run)-[:FOUND]->(r:Ring)
WHERE ($min_score IS NULL OR r.score >= $min_score) AND ($region IS NULL OR $region IN r.regions)
  AND ($typology IS NULL OR $typology IN r.typologies)
MATCH (r)-[h:HAS_MEMBER]->(m)
WHERE any(s IN coalesce(h.sources, []) WHERE EXISTS { MATCH (d:Document {key: s}) WHERE d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() } })
WITH run, r, count(DISTINCT m) AS visible_members
ORDER BY r.score DESC, r.rank
SKIP $skip LIMIT $limit
RETURN run.id AS run, r.id AS id, r.score AS score, r.score_parts AS score_parts, r.typologies AS typologies,
       r.regions AS regions, r.agencies AS agencies, r.total_amount AS total_amount, r.status AS status,
       r.note AS note, visible_members,
       [c IN coalesce(r.cases, []) WHERE EXISTS { MATCH (d:Document)-[:OF_CASE]->(:Case {key: c}) WHERE d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() } }] AS cases
