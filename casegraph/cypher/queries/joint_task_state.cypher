// A task's state set (open or done) by a user of an agency in its record, with who and when in its log.
MATCH (j:JointHandling)-[:HAS_TASK]->(t:JointTask {id: $id})
WHERE $agency IN j.agencies
SET t.log = CASE WHEN t.state = $state THEN t.log ELSE t.log + $entry END,
    t.done_at = CASE WHEN $state = 'done' THEN coalesce(t.done_at, datetime()) ELSE null END,
    t.done_by = CASE WHEN $state = 'done' THEN coalesce(t.done_by, $user) ELSE null END,
    t.state = $state
RETURN t {.*, due: toString(t.due), created_at: toString(t.created_at), done_at: toString(t.done_at),
          overdue: t.state = 'open' AND t.due < date($today)} AS task
