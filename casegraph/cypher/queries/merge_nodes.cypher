// Upsert entity nodes of one label, one row per key and batch (the writer folds repeats); list
// properties are ordered unions, `sources` lists the stating documents, `pending` marks people and
// organisations the cross-document linker has still to look at. ON CREATE / ON MATCH keep a new
// node from reading the lists it writes. `aliases` and `merged_on` come as null when the batch has
// none (batch_rows.OPTIONAL_LISTS): nothing is stored then, and a node's existing list is kept.
// A row's `mentions` point at documents created in this same transaction (under the writer lock),
// or at the PendingDocument ({doc_label}) that a large document is written as before it is published,
// so no MENTIONED_IN to them can exist yet: CREATE, not MERGE, which spares the relationship scan.
// It carries no `sources`: a mention's source is the document it points at, and readers take it
// from there (entity_neighbors_page), which halves what the commit writes per mention.
// Its properties are named (batch_rows.MENTION_PROPS; others take the MERGE path), since a map
// (`SET r = m`) would make the planner buffer every row (Eager).
// replan=skip: the plan is key seeks whatever the statistics say; during an ingest they change
// so fast that the server would otherwise re-plan every writer statement each 10 s.
CYPHER replan=skip
UNWIND $rows AS row
MERGE (n:{label} {key: row.key})
ON CREATE SET n.regions = row.regions, n.aliases = row.aliases, n.merged_on = row.merged_on,
              n.sources = row.sources
ON MATCH SET n.regions = coalesce(n.regions, []) + [x IN row.regions WHERE NOT x IN coalesce(n.regions, [])],
             n.aliases = CASE WHEN row.aliases IS NULL THEN n.aliases
                              ELSE coalesce(n.aliases, []) + [x IN row.aliases WHERE NOT x IN coalesce(n.aliases, [])] END,
             n.merged_on = CASE WHEN row.merged_on IS NULL THEN n.merged_on
                                ELSE coalesce(n.merged_on, []) + [x IN row.merged_on WHERE NOT x IN coalesce(n.merged_on, [])] END,
             n.sources = coalesce(n.sources, []) + [x IN row.sources WHERE NOT x IN coalesce(n.sources, [])]
SET n += row.props, n.pending = row.pending
WITH n, row
UNWIND row.mentions AS m
MATCH (d:{doc_label} {key: m.doc})
CREATE (n)-[:MENTIONED_IN {fid: m.fid, start: m.start, end: m.end, page: m.page, text: m.text,
                           resolved_by: m.resolved_by, row: m.row}]->(d)
