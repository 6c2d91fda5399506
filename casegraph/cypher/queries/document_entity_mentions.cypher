// The people and organisations a document mentions, with the spans (for the resolution evaluation).
UNWIND $keys AS key
MATCH (n)-[m:MENTIONED_IN]->(:Document {key: key})
WHERE n:Person OR n:Organization
RETURN key AS document, CASE WHEN n:Person THEN 'PERSON' ELSE 'ORG' END AS type, n.key AS node,
       m.start AS start, m.end AS end
