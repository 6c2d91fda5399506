// Accounts and phones the parties hold or use, with the visible documents that say so.
UNWIND $ids AS pid
MATCH (p) WHERE elementId(p) = pid
MATCH (p)-[r:HOLDS|USES]->(x)
WITH p, r, x, [s IN r.sources WHERE EXISTS { MATCH (d:Document {key: s}) WHERE (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() }) }] AS seen
WHERE size(seen) > 0
RETURN p.key AS party, type(r) AS rel, x.key AS key, x.number AS number, x.bank AS bank, seen AS sources,
       [(x)-[m:MENTIONED_IN]->(d) WHERE d.key IN seen | {document: d.key, start: m.start, end: m.end, page: m.page}][..5] AS mentions
ORDER BY party, key
