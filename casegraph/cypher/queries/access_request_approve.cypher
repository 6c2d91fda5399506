// Approve a pending request addressed to $agency (null: the local admin): one time-limited grant
// to the requester over the holder's non-sealed documents that mention the entity.
MATCH (r:AccessRequest {id: $id})
WHERE r.status = 'pending' AND ($agency IS NULL OR r.holder_agency = $agency)
SET r.status = 'approved', r.decided_by = $decided_by, r.decided_at = datetime(),
    r.expires_at = datetime() + duration({days: $days}), r.note = $note
CREATE (g:AccessGrant {id: $grant_id, agency: r.requester_agency, expires_at: r.expires_at, request: r.id})
WITH r, g
OPTIONAL MATCH (n:{label} {key: r.entity_key})-[:MENTIONED_IN]->(d:Document)
WHERE d.agency = r.holder_agency AND d.sharing IN ['shared', 'restricted']
WITH r, g, collect(DISTINCT d) AS docs
FOREACH (doc IN docs | MERGE (g)-[:GRANTS]->(doc))
RETURN r {.id, .requester, .requester_agency, .holder_agency, .query, .purpose, .status, .decided_by, .note,
          entity_key: CASE WHEN $agency IS NULL OR r.holder_agency = $agency THEN r.entity_key END,
          created_at: toString(r.created_at), decided_at: toString(r.decided_at),
          expires_at: toString(r.expires_at)} AS request, size(docs) AS documents
