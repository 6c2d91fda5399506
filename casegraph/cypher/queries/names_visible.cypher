// Candidate people and organisations of a name search, each as the caller's agency $agency sees it:
// the names its visible documents write, its regions and birth date; a candidate seen only through
// hidden, non-sealed documents is summarised per holding agency (hit/no-hit). What ranks no further
// than the answer's length is told more of by name_cases_visible.cypher (agencies, cases).
UNWIND $keys AS key
MATCH (n {key: key})
WHERE n:Person OR n:Organization
MATCH (n)-[m:MENTIONED_IN]->(d:Document)
WITH n, m, d,
  (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() }) AS visible
WITH n, collect(DISTINCT CASE WHEN visible THEN m.text END) AS texts,
     collect(DISTINCT CASE WHEN NOT visible AND d.sharing IN ['shared', 'restricted'] THEN d END) AS hidden
RETURN n.key AS key, labels(n)[0] AS label, texts,
       CASE WHEN size(texts) > 0 THEN n.regions END AS regions,
       CASE WHEN size(texts) > 0 THEN n.birth_date END AS birth_date,
       CASE WHEN size(texts) > 0 THEN [] ELSE
         [h IN hidden | {agency: h.agency, case: head([(h)-[:OF_CASE]->(hc:Case) | hc.key])}] END AS hidden
