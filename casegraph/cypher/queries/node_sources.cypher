// The documents that mention the node $key (of label {label}).
MATCH (n:{label} {key: $key})
RETURN coalesce(n.sources, []) AS sources
