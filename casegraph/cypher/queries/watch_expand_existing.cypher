// Watch every party of the cases a case or agency watch covers, as they stand now: the entities the
// documents of those cases mention (only documents the watcher's agency may see).
MATCH (p:Watch {id: $id})
MATCH (d:Document)-[:OF_CASE]->(c:Case)
WHERE (($case IS NOT NULL AND c.key = $case) OR ($case IS NULL AND d.agency = $agency))
  AND (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
MATCH (n)-[:MENTIONED_IN]->(d)
WHERE n:Person OR n:Organization OR n:Account OR n:Phone
WITH p, c, collect(DISTINCT n.key) AS keys
UNWIND keys AS key
MERGE (w:Watch {id: p.id + '|' + key})
ON CREATE SET w.kind = 'entity', w.target = key, w.agency = p.agency, w.user = p.user, w.parent = p.id,
              w.case = c.key, w.created_by = p.created_by, w.created_at = datetime()
RETURN count(DISTINCT key) AS watched
