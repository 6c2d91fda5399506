// Upsert facts of one type between existing nodes; `fid` tells parallel facts apart; one row per
// fact and batch, with the batch's documents stating it in `sources`; a mention's `sources` is null
// (its source is the document it points at), so none is stored and a re-ingest adds none.
// replan=skip: the plan is key seeks whatever the statistics say; during an ingest they change
// so fast that the server would otherwise re-plan every writer statement each 10 s.
CYPHER replan=skip
UNWIND $rows AS row
MATCH (a:{from_label} {key: row.from})
MATCH (b:{to_label} {key: row.to})
MERGE (a)-[r:{type} {fid: row.fid}]->(b)
ON CREATE SET r.sources = row.sources
ON MATCH SET r.sources = CASE WHEN row.sources IS NULL THEN r.sources
                              ELSE coalesce(r.sources, []) + [s IN row.sources WHERE NOT s IN coalesce(r.sources, [])] END
SET r += row.props
