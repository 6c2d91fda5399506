// Take a document out of the sources of its facts; a fact no other document states goes.
UNWIND $ids AS id
MATCH (n) WHERE elementId(n) = id
MATCH (n)-[r]-()
WHERE $key IN coalesce(r.sources, [])
WITH DISTINCT r
WITH r, [s IN r.sources WHERE s <> $key] AS left
FOREACH (_ IN CASE WHEN size(left) = 0 THEN [1] ELSE [] END | DELETE r)
FOREACH (_ IN CASE WHEN size(left) > 0 THEN [1] ELSE [] END | SET r.sources = left)
