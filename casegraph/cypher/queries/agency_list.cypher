MATCH (a:Agency) RETURN a {.*} AS agency ORDER BY a.id
