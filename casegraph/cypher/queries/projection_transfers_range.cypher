// The TRANSFERRED facts whose ids lie in [$low, $high), with their visible sources: one Spark task's
// share of projection_transfers (same visibility, same columns, one row per fact) plus the id, which
// orders the facts as one read would. `id(r) IN range(...)` is a seek by id, so a task reads its
// range, not every transfer. $agency null is the local admin's run: every source kept.
MATCH (d:Document)
WHERE $agency IS NOT NULL
  AND (d.agency = $agency OR d.sharing = 'shared'
       OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, []))
       OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
WITH collect(d.key) AS visible
MATCH (a)-[r:TRANSFERRED]->(b)
WHERE id(r) IN range($low, $high - 1)
WITH r, a, b, CASE WHEN $agency IS NULL THEN coalesce(r.sources, [])
                   ELSE [s IN coalesce(r.sources, []) WHERE s IN visible] END AS seen
WHERE size(seen) > 0
RETURN id(r) AS id, coalesce(a.key, '') AS from, coalesce(b.key, '') AS to, seen AS sources,
       toFloat(r.amount) AS amount, r.at AS at, r.tx_id AS tx_id, r.memo AS memo
