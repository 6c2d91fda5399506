// An alert's handling by its agency: acknowledged, assigned (to a user of that agency) or closed,
// with the trail of earlier steps. Only an alert the caller may list (its agency's, or its own).
MATCH (a:Alert {id: $id, agency: $agency})
WHERE a.user IS NULL OR a.user = $user
SET a.state = $state, a.assignee = CASE WHEN $state = 'assigned' THEN $assignee ELSE a.assignee END,
    a.handling_log = coalesce(a.handling_log, []) + $entry
RETURN a.id AS id, a.state AS state, a.assignee AS assignee, a.handling_log AS log
