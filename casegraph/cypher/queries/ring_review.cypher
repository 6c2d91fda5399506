// An analyst's verdict on a ring the caller's agency can see; every verdict is also kept in
// `reviews` (JSON strings, oldest first), so a changed mind leaves a trail.
MATCH (r:Ring {id: $id})
WHERE EXISTS { MATCH (r)-[h:HAS_MEMBER]->() WHERE any(s IN coalesce(h.sources, []) WHERE EXISTS {
                 MATCH (d:Document {key: s}) WHERE d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() } }) }
SET r.status = $status, r.note = $note, r.reviewed_by = $user, r.reviewed_agency = $agency,
    r.reviewed_at = datetime(), r.reviews = coalesce(r.reviews, []) + $entry
RETURN r.id AS id, r.status AS status, r.note AS note, r.reviewed_by AS reviewed_by,
       toString(r.reviewed_at) AS reviewed_at
