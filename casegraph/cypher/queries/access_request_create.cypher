// The requester names what it typed ($query) and the holder from the hit/no-hit answer; the
// entity key stays with the request and is shown to the holder only.
CREATE (r:AccessRequest {id: $id, requester: $requester, requester_agency: $requester_agency,
                         holder_agency: $holder_agency, query: $query, entity_key: $entity_key,
                         entity_label: $entity_label, purpose: $purpose, status: 'pending',
                         created_at: datetime()})
WITH r, $requester_agency AS agency
RETURN r {.id, .requester, .requester_agency, .holder_agency, .query, .purpose, .status, .decided_by, .note,
          entity_key: CASE WHEN agency IS NULL OR r.holder_agency = agency THEN r.entity_key END,
          created_at: toString(r.created_at), decided_at: toString(r.decided_at),
          expires_at: toString(r.expires_at)} AS request
