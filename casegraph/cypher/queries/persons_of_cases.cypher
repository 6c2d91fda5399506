// The people mentioned in the documents of some cases.
UNWIND $cases AS key
MATCH (:Case {key: key})<-[:OF_CASE]-(:Document)<-[:MENTIONED_IN]-(q:Person)
RETURN DISTINCT q.key AS key
