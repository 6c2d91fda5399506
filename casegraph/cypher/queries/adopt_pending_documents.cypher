// A document that was being written as a PendingDocument and is now written whole in one
// transaction (the same file, under a larger staging limit): its facts so far are adopted.
UNWIND $keys AS key
MATCH (d:PendingDocument {key: key})
REMOVE d:PendingDocument
SET d:Document
