// The element id of a node by label and key, for statements that start from nodes already found
// (the caller's view of it is checked before: this tells nothing by itself and never leaves the server).
MATCH (n:{label} {key: $key})
RETURN elementId(n) AS eid
LIMIT 1
