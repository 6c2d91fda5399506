// replan=skip: the plan is key seeks whatever the statistics say; during an ingest they change
// so fast that the server would otherwise re-plan every writer statement each 10 s.
CYPHER replan=skip
UNWIND $keys AS key
MATCH (d:{doc_label} {key: key})
RETURN d.key AS key
