// Open candidates, best first.
MATCH (a:{label})-[r:POSSIBLY_SAME_AS]->(b:{label})
WHERE r.status = 'open'
RETURN a.key AS a, a.name AS a_name, b.key AS b, b.name AS b_name, r.score AS score, r.reasons AS reasons
ORDER BY r.score DESC, a.key, b.key
LIMIT $limit
