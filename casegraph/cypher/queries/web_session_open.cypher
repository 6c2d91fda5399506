// A session for the user whose key was presented (by its hash; the key itself is never stored).
// Nothing is created for an unknown or revoked key.
MATCH (u:User {key_hash: $key_hash})
WHERE u.revoked_at IS NULL
CREATE (:WebSession {id_hash: $id_hash, user: u.name, key_hash: $key_hash, created_at: datetime(),
                     last_seen: $now})
RETURN u.name AS name, u.agency AS agency, u.role AS role
