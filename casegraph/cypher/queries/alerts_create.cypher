// Alerts of one batch, in the writer's transaction. Idempotent by id (document + entity + watch).
// The watcher's own cases the entity is in are taken now: they are the watcher's own to see.
UNWIND $rows AS row
CALL (row) {
  OPTIONAL MATCH (:{label} {key: row.entity})-[:MENTIONED_IN]->(:Document {agency: row.agency})-[:OF_CASE]->(c:Case)
  RETURN collect(DISTINCT c.key) AS own
}
MERGE (a:Alert {id: row.id})
ON CREATE SET a.watch = row.watch, a.agency = row.agency, a.user = row.user, a.entity = row.entity,
              a.label = $label, a.document = row.document, a.events = row.events, a.trigger = row.trigger,
              a.own_cases = own, a.at = datetime(), a.read_by = []
