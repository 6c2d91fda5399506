// An analyst's verdict on one member of a ring, when the caller's agency may see that member (a
// HAS_MEMBER source it may see); every verdict is also kept in `reviews` (JSON strings, oldest first).
MATCH (r:Ring {id: $id})-[h:HAS_MEMBER]->(m {key: $member})
WHERE any(s IN coalesce(h.sources, []) WHERE EXISTS {
        MATCH (d:Document {key: s}) WHERE d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() } })
SET h.status = $status, h.note = $note, h.reviewed_by = $user, h.reviewed_at = datetime(),
    h.reviews = coalesce(h.reviews, []) + $entry
RETURN r.id AS id, m.key AS member, h.status AS status, h.note AS note, h.reviewed_by AS reviewed_by,
       toString(h.reviewed_at) AS reviewed_at
