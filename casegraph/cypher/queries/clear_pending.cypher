UNWIND $keys AS key
MATCH (n:{label} {key: key})
REMOVE n.pending
