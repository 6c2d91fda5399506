// Ring members of one label: `why` is a JSON string, `sources` the documents that put it there.
UNWIND $rows AS row
MATCH (r:Ring {id: row.ring})
MATCH (m:{label} {key: row.key})
MERGE (r)-[h:HAS_MEMBER]->(m)
SET h.why = row.why, h.sources = row.sources
