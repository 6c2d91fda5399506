// The relationships among the nodes bulk_carry_nodes reads.
MATCH (a)-[r]->(b)
WHERE NOT a:SchemaMigration AND NOT b:SchemaMigration
RETURN elementId(a) AS start, elementId(b) AS end, type(r) AS type, properties(r) AS props
