// Take a retired document out of the sources of the facts that start at the given nodes, in
// transactions of $batch facts: a fact no other document states goes. Each fact has one start node,
// so a fact is visited once; a crash leaves facts not yet visited, which a re-run visits.
UNWIND $ids AS id
MATCH (n) WHERE elementId(n) = id
MATCH (n)-[r]->()
WHERE $key IN coalesce(r.sources, [])
CALL (r) {
  WITH r, [s IN r.sources WHERE s <> $key] AS left
  FOREACH (_ IN CASE WHEN size(left) = 0 THEN [1] ELSE [] END | DELETE r)
  FOREACH (_ IN CASE WHEN size(left) > 0 THEN [1] ELSE [] END | SET r.sources = left)
} IN TRANSACTIONS OF $batch ROWS
