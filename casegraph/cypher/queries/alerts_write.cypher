// Alerts of a ring change or a merge ($rows: id, watch, agency, user, entity, label, trigger, events,
// sources and the trigger's own fields), in the transaction of what raised them. Idempotent by id.
// The watcher's own cases that name the entity are taken now: they are the watcher's own to see.
UNWIND $rows AS row
CALL (row) {
  OPTIONAL MATCH (:{label} {key: row.entity})-[:MENTIONED_IN]->(:Document {agency: row.agency})-[:OF_CASE]->(c:Case)
  RETURN collect(DISTINCT c.key) AS own
}
MERGE (a:Alert {id: row.id})
ON CREATE SET a += row, a.own_cases = own, a.at = datetime(), a.read_by = []
