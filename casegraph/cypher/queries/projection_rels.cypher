// Facts of one type (not TRANSFERRED: see projection_transfers) with their visible sources, in
// chunks: each record holds up to $chunk facts as parallel lists, because one Bolt record per fact
// cost ~3x the server CPU and ~10x the client CPU (benchmarks/projection_read.py).
// Visibility: $agency null is the local admin's run and keeps every source; otherwise a fact comes
// only with the sources its agency may see, and not at all when none is left. `s IN visible`
// is hashed once per query by Neo4j, not scanned per source (PROFILE figures in docs/benchmarks-history.md).
// The facts are collected as references only (small), then read chunk by chunk so the server
// never holds every fact's properties at once. Nullable columns are coalesced ('' for none):
// collect() drops nulls, which would shift the parallel lists.
MATCH (d:Document)
WHERE $agency IS NOT NULL
  AND (d.agency = $agency OR d.sharing = 'shared'
       OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, []))
       OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
WITH collect(d.key) AS visible
MATCH ()-[r:{type}]->()
WITH visible, collect(r) AS facts
UNWIND range(0, size(facts) - 1, $chunk) AS first
CALL {
  WITH visible, facts, first
  UNWIND facts[first..first + $chunk] AS r
  WITH r, CASE WHEN $agency IS NULL THEN coalesce(r.sources, [])
               ELSE [s IN coalesce(r.sources, []) WHERE s IN visible] END AS seen
  WHERE size(seen) > 0
  RETURN collect(coalesce(startNode(r).key, '')) AS from, collect(coalesce(endNode(r).key, '')) AS to, collect(seen) AS sources,
         collect(coalesce(r.role, '')) AS role
}
RETURN from, to, sources, role
