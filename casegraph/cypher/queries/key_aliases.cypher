// Where keys merged into another node now live (written by merges, read before every write).
// replan=skip: the plan is key seeks whatever the statistics say; during an ingest they change
// so fast that the server would otherwise re-plan every writer statement each 10 s.
CYPHER replan=skip
UNWIND $keys AS key
MATCH (a:KeyAlias {key: key})
RETURN a.key AS key, a.target AS target
