// The documents the caller's agency may see (every document when $agency is null: the local
// admin run), each with its owning agency and case, so nodes can carry agencies and cases.
MATCH (d:Document)
WHERE $agency IS NULL OR d.agency = $agency OR d.sharing = 'shared'
   OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, []))
   OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() }
OPTIONAL MATCH (d)-[:OF_CASE]->(c:Case)
RETURN d.key AS key, d.agency AS agency, c.key AS case
