// Upsert facts of one type between existing nodes; `fid` tells parallel facts apart; one row per
// fact and batch, with the batch's documents stating it in `sources`.
UNWIND $rows AS row
MATCH (a:{from_label} {key: row.from})
MATCH (b:{to_label} {key: row.to})
MERGE (a)-[r:{type} {fid: row.fid}]->(b)
ON CREATE SET r.sources = row.sources
ON MATCH SET r.sources = coalesce(r.sources, []) + [s IN row.sources WHERE NOT s IN coalesce(r.sources, [])]
SET r += row.props
