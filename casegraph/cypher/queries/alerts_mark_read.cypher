// Mark alerts of the caller read (for this user only: an agency's alert is read per user).
UNWIND $ids AS id
MATCH (a:Alert {id: id, agency: $agency})
WHERE (a.user IS NULL OR a.user = $user) AND NOT $user IN a.read_by
SET a.read_by = a.read_by + $user
RETURN count(a) AS marked
