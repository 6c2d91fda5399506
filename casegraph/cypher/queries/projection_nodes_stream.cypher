// Entities of one label with their visible sources, read by the local server's
// casegraph.projection.nodes procedure (LocalNeo4j.java) in packed chunks; the Cypher-only path is
// projection_nodes. Visibility stays here, with the same predicate as projection_nodes: the
// procedure keeps only the sources in `visible` and leaves out an entity with none left. $agency
// null is the local admin's run: null passed, every source kept.
MATCH (d:Document)
WHERE $agency IS NOT NULL
  AND (d.agency = $agency OR d.sharing = 'shared'
       OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, []))
       OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
WITH collect(d.key) AS visible
CALL casegraph.projection.nodes($label, CASE WHEN $agency IS NULL THEN null ELSE visible END, $chunk)
YIELD keys, names, regionSets, regions, sourceSets, sets
RETURN keys, names, regionSets, regions, sourceSets, sets
