// Two nodes are not one: the candidate (made if absent) is marked rejected and never proposed again.
MATCH (a:{label} {key: $a})
MATCH (b:{label} {key: $b})
MERGE (a)-[r:POSSIBLY_SAME_AS {fid: ''}]->(b)
SET r.status = 'rejected', r.decision = $decision, r.decided_at = datetime()
RETURN count(r) AS rejected
