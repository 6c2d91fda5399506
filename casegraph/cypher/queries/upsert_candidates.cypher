// POSSIBLY_SAME_AS between two nodes, for an investigator to confirm or reject; a rejected pair is
// never proposed again. Returns the pairs that were not candidates before (their watchers hear of them).
UNWIND $rows AS row
MATCH (a:{label} {key: row.a})
MATCH (b:{label} {key: row.b})
WITH a, b, row, EXISTS { MATCH (a)-[:POSSIBLY_SAME_AS {fid: ''}]-(b) } AS known
MERGE (a)-[r:POSSIBLY_SAME_AS {fid: ''}]->(b)
ON CREATE SET r.status = 'open', r.created_at = datetime()
WITH a, b, r, row, known
CALL (r, row) {
  WITH r, row WHERE r.status = 'open'
  SET r.score = row.score, r.reasons = row.reasons
}
WITH a, b, known WHERE NOT known
RETURN a.key AS a, b.key AS b
