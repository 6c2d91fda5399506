// Taken first by every writer transaction and held until it ends: writers run one at a time, so
// what a transaction found absent (a document, a transfer) stays absent until it commits, and
// CREATE is as safe as MERGE there. Ingest has a single writer anyway; this keeps a second
// process (another ingest, a document delete) from racing it.
// replan=skip: the plan is key seeks whatever the statistics say; during an ingest they change
// so fast that the server would otherwise re-plan every writer statement each 10 s.
CYPHER replan=skip
MERGE (w:WriterLock {id: 'graph-writer'})
SET w.taken_at = timestamp()
