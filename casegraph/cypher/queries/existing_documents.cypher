UNWIND $keys AS key
MATCH (d:Document {key: key})
RETURN d.key AS key
