MATCH (u:User {name: $name})
WHERE $agency IS NULL OR u.agency = $agency
SET u.revoked_at = coalesce(u.revoked_at, datetime())
RETURN u {.name, .agency, .role, .created_by, created_at: toString(u.created_at),
          revoked_at: toString(u.revoked_at)} AS user
