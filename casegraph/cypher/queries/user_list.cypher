MATCH (u:User)
WHERE $agency IS NULL OR u.agency = $agency
RETURN u {.name, .agency, .role, .created_by, created_at: toString(u.created_at),
          revoked_at: toString(u.revoked_at)} AS user
ORDER BY u.agency, u.name
