// The joint handling records the caller's agency is in: visible only to the agencies in them.
MATCH (j:JointHandling)
WHERE $agency IN j.agencies AND ($ring IS NULL OR j.ring = $ring OR j.lineage = $ring)
RETURN j {.*, opened_at: toString(j.opened_at)} AS joint
ORDER BY j.opened_at DESC, j.id
SKIP $skip LIMIT $limit
