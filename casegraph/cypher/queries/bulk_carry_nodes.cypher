// What a bulk load carries from the serving store into the new one: every node but the schema's
// migration records (the new store is migrated afresh, which creates its indexes and constraints):
// agencies, users, grants, the audit chain, jobs.
MATCH (n)
WHERE NOT n:SchemaMigration
RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props
