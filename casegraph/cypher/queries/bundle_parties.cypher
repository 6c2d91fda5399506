// The case's parties: people and organisations with a visible ROLE_IN (officials' roles aside), else those named in its visible files.
// Organisations only named (the agencies themselves, courts, banks: matching $not_party) are no parties.
// One page of them (ordered by key), the total, and where each is named in the case's files.
MATCH (c:Case {key: $key})
CALL {
  WITH c
  MATCH (d:Document)-[:OF_CASE]->(c)
  WHERE (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
  RETURN collect(d) AS docs
}
CALL {
  WITH c
  MATCH (p)-[r:ROLE_IN]->(c)
  WHERE (p:Person OR p:Organization) AND NOT coalesce(r.role, '') IN $official_roles
  WITH p, r, [s IN r.sources WHERE EXISTS { MATCH (d:Document {key: s}) WHERE (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() }) }] AS seen
  WHERE size(seen) > 0
  RETURN collect({party: p, role: r.role, sources: seen}) AS roled
}
CALL {
  WITH docs
  UNWIND docs AS d
  MATCH (p)-[:MENTIONED_IN]->(d)
  WHERE p:Person OR (p:Organization AND NOT coalesce(p.name, '') =~ $not_party)
  RETURN collect(DISTINCT p) AS mentioned
}
WITH docs, roled, CASE WHEN size(roled) > 0 THEN [x IN roled | x.party] ELSE mentioned END AS candidates
UNWIND candidates AS p
WITH DISTINCT docs, roled, p
ORDER BY p.key
WITH docs, roled, collect(p) AS all_parties
UNWIND all_parties[$offset..($offset + $limit)] AS p
WITH all_parties, p,
     [x IN roled WHERE x.party = p | {role: x.role, sources: x.sources}] AS roles,
     [(p)-[m:MENTIONED_IN]->(d) WHERE d IN docs | {document: d.key, start: m.start, end: m.end, page: m.page}] AS mentions
RETURN size(all_parties) AS total, elementId(p) AS id, labels(p)[0] AS label,
       p {.key, .name, .ric, .uscc, .regions} AS party, roles, mentions[..5] AS mentions
