// Where else the parties are named: visible documents (with their case), and, for documents the caller
// may not see, only the holding agency and how many cases it holds (hits). Sealed documents give nothing.
UNWIND $ids AS pid
MATCH (p) WHERE elementId(p) = pid
CALL {
  WITH p
  MATCH (p)-[m:MENTIONED_IN]->(d:Document)
  WHERE (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
  OPTIONAL MATCH (d)-[:OF_CASE]->(c:Case)
  WITH d, c, m ORDER BY m.start
  WITH d, c, head(collect(m)) AS m
  RETURN collect({document: d.key, kind: d.kind, agency: d.agency, case_number: d.case_number,
                  case: c.key, number: c.number, case_agency: c.agency, regions: c.regions,
                  start: m.start, end: m.end, page: m.page}) AS seen
}
CALL {
  WITH p
  MATCH (p)-[:MENTIONED_IN]->(d:Document)
  WHERE d.sharing <> 'sealed' AND NOT (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
  OPTIONAL MATCH (d)-[:OF_CASE]->(c:Case)
  WITH d, c WHERE c IS NULL OR c.key <> $key
  OPTIONAL MATCH (a:Agency {id: d.agency})
  WITH d.agency AS agency, a.region AS region, count(DISTINCT coalesce(c.key, d.key)) AS n
  RETURN collect({agency: agency, region: region, count: n}) AS hidden
}
RETURN p.key AS party, seen, hidden
