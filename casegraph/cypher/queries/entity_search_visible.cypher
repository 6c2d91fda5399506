// People and organisations whose name, as a document the caller's agency $agency sees writes it,
// contains $name. Entities matched only through hidden, non-sealed documents are summarised per
// holding agency (hit/no-hit); sealed documents give nothing.
CALL db.index.fulltext.queryNodes('entity_names', $lucene) YIELD node AS n, score
WITH n, score ORDER BY score DESC LIMIT $limit
MATCH (n)-[m:MENTIONED_IN]->(d:Document)
WHERE m.text CONTAINS $name
WITH n, score, m, d,
  (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() }) AS visible
WITH n, max(score) AS score,
     collect(DISTINCT CASE WHEN visible THEN m.text END) AS texts,
     collect(DISTINCT CASE WHEN NOT visible AND d.sharing IN ['shared', 'restricted'] THEN d END) AS hidden
WITH collect(CASE WHEN size(texts) > 0 THEN {key: n.key, label: labels(n)[0], name: head(texts), score: score} END)
       AS found,
     reduce(acc = [], h IN collect(CASE WHEN size(texts) = 0 THEN hidden END) | acc + h) AS hidden
CALL (hidden) {
  UNWIND hidden AS h
  OPTIONAL MATCH (h)-[:OF_CASE]->(hc:Case)
  WITH h.agency AS agency, count(DISTINCT hc) AS cases
  ORDER BY agency
  RETURN collect({agency: agency, cases: cases}) AS holders
}
RETURN found, holders
