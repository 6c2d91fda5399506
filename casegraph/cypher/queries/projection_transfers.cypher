// TRANSFERRED facts with their visible sources, in chunks of parallel lists: the same visibility
// and chunking as projection_rels (see there). `at` is returned as stored (an ISO string) and
// parsed by the client: Neo4j's datetime() cost ~12 us of server CPU per row, Python's
// fromisoformat ~1 us. Missing values: amount NaN, at/tx_id/memo '' (collect() drops nulls).
MATCH (d:Document)
WHERE $agency IS NOT NULL
  AND (d.agency = $agency OR d.sharing = 'shared'
       OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, []))
       OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
WITH collect(d.key) AS visible
MATCH ()-[r:TRANSFERRED]->()
WITH visible, collect(r) AS facts
UNWIND range(0, size(facts) - 1, $chunk) AS first
CALL {
  WITH visible, facts, first
  UNWIND facts[first..first + $chunk] AS r
  WITH r, CASE WHEN $agency IS NULL THEN coalesce(r.sources, [])
               ELSE [s IN coalesce(r.sources, []) WHERE s IN visible] END AS seen
  WHERE size(seen) > 0
  RETURN collect(coalesce(startNode(r).key, '')) AS from, collect(coalesce(endNode(r).key, '')) AS to, collect(seen) AS sources,
         collect(coalesce(toFloat(r.amount), 0.0 / 0.0)) AS amount, collect(coalesce(r.at, '')) AS at,
         collect(coalesce(r.tx_id, '')) AS tx_id, collect(coalesce(r.memo, '')) AS memo
}
RETURN from, to, sources, amount, at, tx_id, memo
