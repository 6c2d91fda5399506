// Whether the caller's agency $agency sees an entity at all (a visible document among its sources),
// with its element id: all the neighbour route needs before it pages. The whole view
// (entity_visible.cypher: documents, cases, holders) is read only when this says no, for the
// hit/no-hit answer; on an account that hundreds of ledgers name that view was most of a call.
MATCH (n:{label} {key: $key})
RETURN elementId(n) AS eid,
       EXISTS {
         MATCH (d:Document) WHERE d.key IN coalesce(n.sources, [])
           AND (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
       } AS visible
LIMIT 1
