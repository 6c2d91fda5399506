// Where keys merged into another node now live (written by merges, read before every write).
UNWIND $keys AS key
MATCH (a:KeyAlias {key: key})
RETURN a.key AS key, a.target AS target
