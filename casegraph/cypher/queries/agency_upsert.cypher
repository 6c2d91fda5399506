MERGE (a:Agency {id: $id})
SET a.kind = $kind, a.region = $region, a.name = $name, a.default_sharing = $default_sharing
RETURN a {.*} AS agency
