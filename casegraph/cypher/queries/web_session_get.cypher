// A live session and its user: none once idle past $idle_s, or when the user's key was revoked or
// rotated since the sign-in (the session stood for that key).
MATCH (s:WebSession {id_hash: $id_hash})
WHERE s.last_seen >= $now - $idle_s
MATCH (u:User {name: s.user})
WHERE u.key_hash = s.key_hash AND u.revoked_at IS NULL
RETURN u.name AS name, u.agency AS agency, u.role AS role, s.last_seen AS last_seen
