// The agencies and the number of cases of the documents the caller's agency $agency sees about each
// of a name search's leading results (people and organisations, by key).
UNWIND $keys AS key
MATCH (n {key: key})
WHERE n:Person OR n:Organization
MATCH (n)-[:MENTIONED_IN]->(d:Document)
WHERE (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
WITH n, collect(DISTINCT d) AS seen
CALL (seen) {
  UNWIND seen AS s
  OPTIONAL MATCH (s)-[:OF_CASE]->(c:Case)
  RETURN collect(DISTINCT s.agency) AS agencies, count(DISTINCT c) AS cases
}
RETURN n.key AS key, agencies, cases
