// Take a retired document out of the sources of the given nodes, in transactions of $batch nodes;
// a node no other document mentions goes, with the redirects of keys merged into it.
UNWIND $ids AS id
MATCH (n) WHERE elementId(n) = id AND NOT n:RetiredDocument
CALL (n) {
  WITH n, [s IN coalesce(n.sources, []) WHERE s <> $key] AS left
  SET n.sources = left
  WITH n, left
  WHERE size(left) = 0
  OPTIONAL MATCH (a:KeyAlias {target: n.key})
  DETACH DELETE a, n
} IN TRANSACTIONS OF $batch ROWS
