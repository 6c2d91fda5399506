// An entity, the documents that mention it and the cases those documents belong to.
MATCH (n:{label} {key: $key})
OPTIONAL MATCH (n)-[:MENTIONED_IN]->(d:Document)
OPTIONAL MATCH (d)-[:OF_CASE]->(c:Case)
WITH n, collect(DISTINCT d {.key, .agency, .filename, .kind}) AS documents,
     collect(DISTINCT c {.key, .number, .agency, .kind}) AS cases
RETURN n {.*} AS entity, documents, cases
