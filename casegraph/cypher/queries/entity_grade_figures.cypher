// A transfer's amount may be stored as text (a ledger cell); toFloat reads both, and what is no number counts 0.
// The figures of the risk grades (casegraph/alerts/grading_rules.toml) of the entities $keys of one
// label, each over what the caller's agency $agency may see: a fact counts only through a visible
// source document.
UNWIND $keys AS key
MATCH (n:{label} {key: key})
CALL (n) {
  OPTIONAL MATCH (n)-[:MENTIONED_IN]->(d:Document)
  WHERE (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
  OPTIONAL MATCH (d)-[:OF_CASE]->(c:Case)
  RETURN count(DISTINCT d.agency) AS agencies, collect(DISTINCT c) AS cases
}
CALL (n) {
  OPTIONAL MATCH (n)-[r:ROLE_IN {role: 'penalized_party'}]->(pc:Case)
  WHERE EXISTS { MATCH (d:Document) WHERE d.key IN coalesce(r.sources, []) AND (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() }) }
  RETURN count(DISTINCT pc) AS prior_penalties
}
CALL (n) {
  OPTIONAL MATCH (n)-[h:HOLDS]->(held:Account)
  WHERE EXISTS { MATCH (d:Document) WHERE d.key IN coalesce(h.sources, []) AND (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() }) }
  WITH n, collect(held) AS held
  UNWIND (CASE WHEN n:Account THEN held + [n] ELSE held END) + [null] AS a
  OPTIONAL MATCH (a)-[t:TRANSFERRED]-()
  WHERE EXISTS { MATCH (d:Document) WHERE d.key IN coalesce(t.sources, []) AND (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() }) }
  WITH collect(DISTINCT t) AS transfers
  RETURN reduce(moved = 0.0, t IN transfers | moved + coalesce(toFloat(t.amount), 0.0)) AS money_moved
}
CALL (n) {
  OPTIONAL MATCH (r:Ring)-[m:HAS_MEMBER]->(n)
  WHERE EXISTS { MATCH (d:Document) WHERE d.key IN coalesce(m.sources, []) AND (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() }) }
  WITH collect(DISTINCT r) AS rings
  UNWIND [r IN rings | coalesce(r.typologies, [])] + [[]] AS typologies
  UNWIND typologies + [null] AS typology
  WITH rings, collect(DISTINCT typology) AS found
  RETURN size(found) AS typologies, size([r IN rings WHERE r.status = 'confirmed']) AS reviewed_rings
}
WITH n, agencies, cases, prior_penalties, money_moved, typologies, reviewed_rings
UNWIND coalesce(n.regions, []) + reduce(all = [], c IN cases | all + coalesce(c.regions, [])) + [null] AS region
RETURN n.key AS key, agencies, size(cases) AS open_cases, prior_penalties, money_moved, typologies, reviewed_rings,
       count(DISTINCT region) AS regions
