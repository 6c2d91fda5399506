// The case and its documents the caller may see; no row when it may see none (a sealed case gives no hit).
MATCH (c:Case {key: $key})
MATCH (d:Document)-[:OF_CASE]->(c)
WHERE (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
WITH c, d ORDER BY d.key
WITH c, collect(d {.key, .sha256, .agency, .filename, .kind, .case_number, .ingested_at}) AS documents
OPTIONAL MATCH (c)-[:HANDLED_BY]->(a:Agency)
OPTIONAL MATCH (c)-[:CITES]-(o:Case)
WHERE EXISTS { MATCH (od:Document)-[:OF_CASE]->(o) WHERE (od.agency = $agency OR od.sharing = 'shared' OR (od.sharing = 'restricted' AND $agency IN coalesce(od.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(od) WHERE g.agency = $agency AND g.expires_at > datetime() }) }
WITH c, a, documents, collect(DISTINCT o.key) AS cites
RETURN c {.*} AS case, a {.id, .name, .region} AS agency, documents, cites
