// Upsert facts of one type between existing nodes; `fid` tells parallel facts apart; one row per
// fact and batch, with the batch's documents stating it in `sources`.
// replan=skip: the plan is key seeks whatever the statistics say; during an ingest they change
// so fast that the server would otherwise re-plan every writer statement each 10 s.
CYPHER replan=skip
UNWIND $rows AS row
MATCH (a:{from_label} {key: row.from})
MATCH (b:{to_label} {key: row.to})
MERGE (a)-[r:{type} {fid: row.fid}]->(b)
ON CREATE SET r.sources = row.sources
ON MATCH SET r.sources = coalesce(r.sources, []) + [s IN row.sources WHERE NOT s IN coalesce(r.sources, [])]
SET r += row.props
