// The keys of the cases numbered $number (bracket widths folded by the caller) that a document the
// agency $agency may see is of; with $agency null (the CLI's local admin), every case of that number.
MATCH (c:Case {number: $number})
WHERE $agency IS NULL
   OR EXISTS { MATCH (d:Document)-[:OF_CASE]->(c) WHERE (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() }) }
RETURN c.key AS key
ORDER BY key
