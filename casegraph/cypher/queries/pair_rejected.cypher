// The decision that keeps two nodes apart, if they are kept apart now (a repeated reject answers with it).
MATCH (a:{label} {key: $a})-[r:POSSIBLY_SAME_AS]-(b:{label} {key: $b})
WHERE r.status = 'rejected' AND r.decision IS NOT NULL
RETURN r.decision AS decision
LIMIT 1
