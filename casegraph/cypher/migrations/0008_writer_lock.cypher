// The node every writer transaction locks first (casegraph/cypher/queries/writer_lock.cypher):
// unique, so two first writers cannot create two of it.
CREATE CONSTRAINT writer_lock_id IF NOT EXISTS FOR (n:WriterLock) REQUIRE n.id IS UNIQUE;
