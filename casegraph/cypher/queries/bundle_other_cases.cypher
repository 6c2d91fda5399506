// Where else the parties are named: visible documents (with their case), and, for documents the caller
// may not see, only the holding agency and how many cases it holds (hits). Sealed documents give nothing.
// A party is looked for as itself and through its open POSSIBLY_SAME_AS candidates (the same name with a
// shared phone, account or address, not yet confirmed): those are marked `via` the candidate, with its score.
UNWIND $ids AS pid
MATCH (p) WHERE elementId(p) = pid
CALL {
  WITH p
  RETURN p AS self, null AS via, null AS score
  UNION
  WITH p
  MATCH (p)-[s:POSSIBLY_SAME_AS]-(q)
  WHERE s.status = 'open' AND labels(q) = labels(p)
  RETURN q AS self, q.key AS via, s.score AS score
}
CALL {
  WITH self, via, score
  MATCH (self)-[m:MENTIONED_IN]->(d:Document)
  WHERE (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
  OPTIONAL MATCH (d)-[:OF_CASE]->(c:Case)
  WITH d, c, m, via, score ORDER BY m.start
  WITH d, c, via, score, head(collect(m)) AS m
  RETURN collect({document: d.key, kind: d.kind, agency: d.agency, case_number: d.case_number,
                  case: c.key, number: c.number, case_agency: c.agency, regions: c.regions,
                  start: m.start, end: m.end, page: m.page, via: via, score: score}) AS seen
}
CALL {
  WITH self
  MATCH (self)-[:MENTIONED_IN]->(d:Document)
  WHERE d.sharing <> 'sealed' AND NOT (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
  OPTIONAL MATCH (d)-[:OF_CASE]->(c:Case)
  WITH d, c WHERE c IS NULL OR c.key <> $key
  RETURN collect({agency: d.agency, item: coalesce(c.key, d.key)}) AS hidden_items
}
WITH p, collect(seen) AS seens, collect(hidden_items) AS hiddens
WITH p, reduce(all = [], s IN seens | all + s) AS seen, reduce(all = [], h IN hiddens | all + h) AS items
CALL {
  WITH items
  UNWIND items AS h
  WITH h.agency AS agency, count(DISTINCT h.item) AS n
  OPTIONAL MATCH (a:Agency {id: agency})
  RETURN collect({agency: agency, region: a.region, count: n}) AS hidden
}
RETURN p.key AS party, seen, hidden
