// Entities of one label with their visible sources (all of them when $agency is null, the local
// admin's run), in chunks of parallel lists like projection_rels; an entity none of whose
// sources is visible is left out. label '' when the entity has no name, number or text.
MATCH (d:Document)
WHERE $agency IS NOT NULL
  AND (d.agency = $agency OR d.sharing = 'shared'
       OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, []))
       OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
WITH collect(d.key) AS visible
MATCH (n:{label})
WITH visible, collect(n) AS entities
UNWIND range(0, size(entities) - 1, $chunk) AS first
CALL {
  WITH visible, entities, first
  UNWIND entities[first..first + $chunk] AS n
  WITH n, CASE WHEN $agency IS NULL THEN coalesce(n.sources, [])
               ELSE [s IN coalesce(n.sources, []) WHERE s IN visible] END AS seen
  WHERE size(seen) > 0
  RETURN collect(coalesce(n.key, '')) AS key, collect(coalesce(n.name, n.number, n.text, '')) AS label,
         collect(coalesce(n.regions, [])) AS regions, collect(seen) AS sources
}
RETURN key, label, regions, sources
