MATCH (u:User {key_hash: $key_hash})
WHERE u.revoked_at IS NULL
RETURN u.name AS name, u.agency AS agency, u.role AS role
