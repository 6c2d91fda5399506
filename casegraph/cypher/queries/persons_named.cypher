// People by exact (simplified) name.
UNWIND $names AS name
MATCH (q:Person {name: name})
RETURN name, collect(q.key) AS keys
