// Facts of the $types given, read by the local server's casegraph.projection.stream procedure
// (LocalNeo4j.java) in packed chunks; the Cypher-only path is projection_rels/projection_transfers.
// Visibility stays here: the documents the caller's agency may see are collected with the same
// predicate as projection_rels, and the procedure keeps only those sources of each fact, leaving out
// a fact with none left. $agency null is the local admin's run: null passed, every source kept.
MATCH (d:Document)
WHERE $agency IS NOT NULL
  AND (d.agency = $agency OR d.sharing = 'shared'
       OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, []))
       OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
WITH collect(d.key) AS visible
CALL casegraph.projection.stream($types, CASE WHEN $agency IS NULL THEN null ELSE visible END, $chunk)
YIELD type, keys, sourceSets, ends, roles, amounts, times, txIds, memos, rawTimeIndex, rawTimes
RETURN type, keys, sourceSets, ends, roles, amounts, times, txIds, memos, rawTimeIndex, rawTimes
