// Requests the caller's agency made or received ($agency null: all, for the local admin).
MATCH (r:AccessRequest)
WHERE ($agency IS NULL OR r.requester_agency = $agency OR r.holder_agency = $agency)
  AND ($status IS NULL OR r.status = $status)
RETURN r {.id, .requester, .requester_agency, .holder_agency, .query, .purpose, .status, .decided_by, .note,
          entity_key: CASE WHEN $agency IS NULL OR r.holder_agency = $agency THEN r.entity_key END,
          created_at: toString(r.created_at), decided_at: toString(r.decided_at),
          expires_at: toString(r.expires_at)} AS request
ORDER BY r.created_at DESC
LIMIT $limit
