// POSSIBLY_SAME_AS between two nodes, for an investigator to confirm or reject; a rejected pair is
// never proposed again.
UNWIND $rows AS row
MATCH (a:{label} {key: row.a})
MATCH (b:{label} {key: row.b})
MERGE (a)-[r:POSSIBLY_SAME_AS {fid: ''}]->(b)
ON CREATE SET r.status = 'open', r.created_at = datetime()
WITH r, row
WHERE r.status = 'open'
SET r.score = row.score, r.reasons = row.reasons
