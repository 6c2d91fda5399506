// Relationships per type: what a backup's manifest records and a restore checks.
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS count
ORDER BY type
