// How much of the graph the caller sees, and when it last changed.
MATCH (d:Document)
WHERE (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
RETURN count(d) AS documents, max(d.ingested_at) AS last_ingested_at
