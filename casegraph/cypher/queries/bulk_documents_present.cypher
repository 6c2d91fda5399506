// Whether the graph holds any case document: a bulk load writes a new store, so it starts only
// from a graph without them (later files go through the transactional ingest).
MATCH (d:Document)
RETURN count(d) > 0 AS present
LIMIT 1
