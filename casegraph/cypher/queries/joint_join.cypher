// An agency joins a joint handling record (once), or adds a note to one it is in ($join false).
MATCH (j:JointHandling {id: $id})
WHERE $join OR $agency IN j.agencies
SET j.agencies = CASE WHEN $agency IN j.agencies THEN j.agencies ELSE j.agencies + $agency END,
    j.log = j.log + $entry
RETURN j {.*, opened_at: toString(j.opened_at)} AS joint
