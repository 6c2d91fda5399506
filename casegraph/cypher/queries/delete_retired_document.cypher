MATCH (d:RetiredDocument {key: $key})
DETACH DELETE d
RETURN count(*) AS deleted
