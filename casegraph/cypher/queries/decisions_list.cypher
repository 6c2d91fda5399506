// Identity decisions, newest first; an agency ($agency) sees its own investigators' decisions,
// the CLI's local admin ($agency null) all of them.
MATCH (d:Decision)
WHERE $agency IS NULL OR d.by STARTS WITH $agency + '/'
RETURN d {.id, .kind, .by, .why, .keys, .documents, .result, at: toString(d.at)} AS decision
ORDER BY d.at DESC
LIMIT $limit
