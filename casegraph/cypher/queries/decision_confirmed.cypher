// The latest confirm of `merge` into `keep`, while `merge` is still merged (no node of its own):
// a repeated confirm answers with it instead of failing on the key that now redirects.
MATCH (d:Decision {kind: 'confirm'}) WHERE d.keys = [$keep, $merge]
  AND NOT EXISTS { MATCH (n {key: $merge}) WHERE n:Person OR n:Organization }
RETURN d.id AS id, d.result AS result
ORDER BY d.at DESC
LIMIT 1
