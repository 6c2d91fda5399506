// Entities, documents and cases within {depth} hops, nearest first, and the links among them.
MATCH (n:{label} {key: $key})
MATCH path = (n)-[*1..{depth}]-(m)
WHERE m <> n AND NOT m:Agency
WITH n, m, min(length(path)) AS distance
ORDER BY distance, m.key
LIMIT $limit
WITH n, collect({node: m, distance: distance}) AS found
WITH n, found, [n] + [f IN found | f.node] AS nodes
UNWIND nodes AS a
OPTIONAL MATCH (a)-[r]->(b)
WHERE b IN nodes
WITH n, found, collect(DISTINCT CASE WHEN r IS NULL THEN NULL ELSE
     {type: type(r), from: a.key, to: b.key, role: r.role, sources: r.sources} END) AS edges
RETURN n {.*} AS entity,
       [f IN found | {key: f.node.key, label: labels(f.node)[0], distance: f.distance,
                      name: coalesce(f.node.name, f.node.number, f.node.text, f.node.filename)}] AS neighbors,
       edges
