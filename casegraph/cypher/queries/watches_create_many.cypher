// Many entity watches at once ($rows: id, target, agency, user, label), idempotent on id: an agency
// loading its watch list, or a benchmark.
UNWIND $rows AS row
MERGE (w:Watch {id: row.id})
ON CREATE SET w.kind = 'entity', w.target = row.target, w.agency = row.agency, w.user = row.user,
              w.label = row.label, w.created_by = $created_by, w.created_at = datetime()
RETURN count(w) AS watched
