MATCH (d:Decision)
RETURN d {.id, .kind, .by, .why, .keys, .documents, .result, at: toString(d.at)} AS decision
ORDER BY d.at DESC
LIMIT $limit
