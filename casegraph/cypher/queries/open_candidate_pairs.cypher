// Every open candidate pair with its reasons (for the evaluation's "after review" figures).
MATCH (a)-[r:POSSIBLY_SAME_AS]->(b)
WHERE r.status = 'open'
RETURN a.key AS a, b.key AS b, coalesce(r.reasons, []) AS reasons
