// Whether the server has the casegraph.projection.stream and .nodes procedures (the local server
// does; a plain Neo4j 5 server named by NEO4J_URI does not, and the projection then reads with
// Cypher only; a local server started before .nodes existed needs a restart to use them).
SHOW PROCEDURES YIELD name
WHERE name IN ['casegraph.projection.stream', 'casegraph.projection.nodes']
RETURN count(*) = 2 AS n
