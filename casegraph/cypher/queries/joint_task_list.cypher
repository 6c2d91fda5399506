// The tasks of the joint handling records the caller's agency is in (only those agencies see them),
// soonest due first; `overdue`: open and due before today.
MATCH (j:JointHandling)-[:HAS_TASK]->(t:JointTask)
WHERE $agency IN j.agencies
  AND ($joint IS NULL OR j.id = $joint)
  AND ($ring IS NULL OR j.ring = $ring OR j.lineage = $ring)
  AND ($owner IS NULL OR t.owner = $owner)
  AND ($state IS NULL OR t.state = $state)
  AND (NOT $overdue OR (t.state = 'open' AND t.due < date($today)))
RETURN t {.*, due: toString(t.due), created_at: toString(t.created_at), done_at: toString(t.done_at),
          overdue: t.state = 'open' AND t.due < date($today)} AS task
ORDER BY t.due, t.id
SKIP $skip LIMIT $limit
