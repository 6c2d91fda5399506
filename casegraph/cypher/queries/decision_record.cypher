// An investigator's decision, kept for audit: who, when, why, about which nodes and documents.
CREATE (d:Decision {id: $id, kind: $kind, by: $by, at: datetime(), why: $why, keys: $keys,
                    documents: $documents, result: $result})
WITH d
UNWIND $keys AS key
MATCH (n:{label} {key: key})
MERGE (d)-[:ABOUT {fid: ''}]->(n)
RETURN d.id AS id
