// The nodes a retired document states something about: those it mentions, its case, and the far
// ends of the facts it is a source of. Every fact of the document starts at one of these.
MATCH (d:RetiredDocument {key: $key})
OPTIONAL MATCH (n)-[:MENTIONED_IN]->(d)
WITH d, collect(DISTINCT n) AS mentioned
OPTIONAL MATCH (d)-[:OF_CASE]->(c:Case)
WITH mentioned, collect(DISTINCT c) AS cases
WITH mentioned + cases AS seeds
CALL (seeds) {
  UNWIND seeds AS s
  MATCH (s)-[r]-(o)
  WHERE $key IN coalesce(r.sources, []) AND NOT o:Agency AND NOT o:Document AND NOT o:RetiredDocument
  RETURN collect(DISTINCT o) AS others
}
UNWIND seeds + others AS n
RETURN DISTINCT elementId(n) AS id
