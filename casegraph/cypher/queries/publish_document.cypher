// A large document written over several transactions becomes visible in one: readers only match
// :Document, so they see all of its facts or none.
MATCH (d:PendingDocument {key: $key})
REMOVE d:PendingDocument
SET d:Document
RETURN count(d) AS published
