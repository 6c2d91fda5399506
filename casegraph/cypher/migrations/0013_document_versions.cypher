// Document versions (issue 24): a large document is written as a PendingDocument over several
// transactions and becomes a Document in one small one; a replaced or deleted document becomes a
// RetiredDocument in one small transaction and its facts are then taken away in batches. Readers only
// ever match :Document, so neither half-written nor half-retracted facts can show.
CREATE CONSTRAINT pending_document_key IF NOT EXISTS FOR (d:PendingDocument) REQUIRE d.key IS UNIQUE;
CREATE CONSTRAINT retired_document_key IF NOT EXISTS FOR (d:RetiredDocument) REQUIRE d.key IS UNIQUE;
