// Pairs investigators said are different (a rejection, or the two halves of a split): decisions outlive
// the nodes they were about, so a node re-created by a new version of its document stays apart too.
MATCH (d:Decision)
WHERE d.kind IN ['reject', 'split'] AND size(d.keys) = 2
RETURN d.keys[0] AS a, d.keys[1] AS b
