// Take a document (or a half-written version of one) out of every reader's sight in one small
// transaction: readers only match :Document. Its facts are then retracted in batches
// (retract_retired_*); until that ends they are stated only by a document nobody can see.
MATCH (d) WHERE (d:Document OR d:PendingDocument) AND d.key = $key
REMOVE d:Document, d:PendingDocument
SET d:RetiredDocument, d.retired_at = datetime()
RETURN count(d) AS retired
