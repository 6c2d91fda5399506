// The label of a person or organisation node (decisions work on these two).
CALL () {
  MATCH (n:Person {key: $key})
  RETURN n, 'Person' AS label
  UNION
  MATCH (n:Organization {key: $key})
  RETURN n, 'Organization' AS label
}
RETURN label, n.sources AS sources
