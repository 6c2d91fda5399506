// Whether the server has the casegraph.projection.stream procedure (the local server does; a plain
// Neo4j 5 server named by NEO4J_URI does not, and the projection then reads with Cypher only).
SHOW PROCEDURES YIELD name
WHERE name = 'casegraph.projection.stream'
RETURN count(*) AS n
