// replan=skip: the plan is key seeks whatever the statistics say; during an ingest they change
// so fast that the server would otherwise re-plan every writer statement each 10 s.
CYPHER replan=skip
UNWIND $rows AS row
MERGE (d:{doc_label} {key: row.key})
SET d += row
