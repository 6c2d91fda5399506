// One ring with the members the caller's agency may see, each with only its visible sources.
MATCH (r:Ring {id: $id})-[h:HAS_MEMBER]->(m)
WITH r, h, m, [s IN coalesce(h.sources, []) WHERE EXISTS { MATCH (d:Document {key: s}) WHERE d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() } }] AS seen
WHERE size(seen) > 0
WITH r, h, m, seen ORDER BY labels(m)[0], m.key
WITH r, collect([m.key, labels(m)[0], coalesce(m.name, m.number, m.text), h.why, seen]) AS members
RETURN r.id AS id, r.run AS run, r.score AS score, r.score_parts AS score_parts, r.typologies AS typologies,
       r.regions AS regions, r.agencies AS agencies, r.total_amount AS total_amount, r.status AS status,
       r.note AS note, r.reviewed_by AS reviewed_by, toString(r.reviewed_at) AS reviewed_at, members,
       [c IN coalesce(r.cases, []) WHERE EXISTS { MATCH (d:Document)-[:OF_CASE]->(:Case {key: c}) WHERE d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() } }] AS cases
