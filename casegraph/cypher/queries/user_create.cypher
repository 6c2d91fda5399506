CREATE (u:User {name: $name, agency: $agency, role: $role, key_hash: $key_hash, created_at: datetime(),
                created_by: $created_by, revoked_at: null})
RETURN u {.name, .agency, .role, created_at: toString(u.created_at), .created_by} AS user
