// replan=skip: the plan is key seeks whatever the statistics say; during an ingest they change
// so fast that the server would otherwise re-plan every writer statement each 10 s.
CYPHER replan=skip
UNWIND $rows AS row
MATCH (a:{from_label} {key: row.from})
MATCH (b:Agency {id: row.to})
MERGE (a)-[r:{type} {fid: row.fid}]->(b)
ON CREATE SET r.sources = row.sources
ON MATCH SET r.sources = coalesce(r.sources, []) + [s IN row.sources WHERE NOT s IN coalesce(r.sources, [])]
SET r += row.props
