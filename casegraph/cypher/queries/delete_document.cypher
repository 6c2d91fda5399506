MATCH (d:Document {key: $key})
DETACH DELETE d
RETURN count(*) AS deleted
