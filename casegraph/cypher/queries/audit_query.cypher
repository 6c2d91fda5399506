MATCH (e:AuditEvent)
WHERE ($agency IS NULL OR e.agency = $agency)
  AND ($user IS NULL OR e.user = $user)
  AND ($action IS NULL OR e.action = $action)
  AND ($since IS NULL OR e.at >= $since)
  AND ($until IS NULL OR e.at < $until)
  AND e.seq > $after
RETURN e {.*} AS event
ORDER BY e.seq
LIMIT $limit
