// Upsert facts of one type between existing nodes; `fid` tells parallel facts apart.
UNWIND $rows AS row
MATCH (a:{from_label} {key: row.from})
MATCH (b:{to_label} {key: row.to})
MERGE (a)-[r:{type} {fid: row.fid}]->(b)
SET r += row.props,
    r.sources = CASE WHEN row.source IN coalesce(r.sources, []) THEN r.sources ELSE coalesce(r.sources, []) + row.source END
