// A new key for an existing user (the old one stops working at once); also lifts a revocation.
MATCH (u:User {name: $name})
SET u.key_hash = $key_hash, u.revoked_at = null, u.rotated_at = datetime()
RETURN u {.name, .agency, .role, .created_by, created_at: toString(u.created_at)} AS user
