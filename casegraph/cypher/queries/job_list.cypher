MATCH (j:Job)
WHERE ($kind IS NULL OR j.kind = $kind) AND ($agency IS NULL OR j.agency = $agency)
RETURN j {.*} AS job ORDER BY j.created_at DESC LIMIT $limit
