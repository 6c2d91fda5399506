// Every open candidate pair (for the evaluation's "after review" figure).
MATCH (a)-[r:POSSIBLY_SAME_AS]->(b)
WHERE r.status = 'open'
RETURN a.key AS a, b.key AS b
