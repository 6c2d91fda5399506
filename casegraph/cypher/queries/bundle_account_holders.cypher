// Who holds the given accounts, as far as visible documents say.
UNWIND $accounts AS ak
MATCH (h)-[r:HOLDS]->(a:Account {key: ak})
WHERE any(s IN r.sources WHERE EXISTS { MATCH (d:Document {key: s}) WHERE (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() }) })
WITH a, h ORDER BY h.key
RETURN a.key AS account, head(collect(coalesce(h.name, h.key))) AS holder
