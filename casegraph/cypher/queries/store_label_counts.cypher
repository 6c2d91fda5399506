// Nodes per label: what a backup's manifest records and a restore checks.
MATCH (n)
UNWIND labels(n) AS label
RETURN label, count(*) AS count
ORDER BY label
