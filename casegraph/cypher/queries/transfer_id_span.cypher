// The span of TRANSFERRED relationship ids, for the Spark engine's partitioned read: each task
// reads one range of ids (spark/neo4j_frames.py). Ids are Neo4j's internal ones (id(), deprecated
// in favour of elementId(), but only numbers can be cut into ranges); they are read and used within
// one detection run, never stored. `n` is the number of transfers, for the engine choice.
MATCH ()-[r:TRANSFERRED]->()
RETURN min(id(r)) AS low, max(id(r)) AS high, count(r) AS n
