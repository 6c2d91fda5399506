// Upsert entity nodes of one label; list properties are unions, `sources` lists the stating documents.
// `pending` marks people and organisations the cross-document linker has still to look at.
UNWIND $rows AS row
MERGE (n:{label} {key: row.key})
SET n += row.props,
    n.regions = reduce(acc = coalesce(n.regions, []), r IN row.regions | CASE WHEN r IN acc THEN acc ELSE acc + r END),
    n.aliases = reduce(acc = coalesce(n.aliases, []), a IN row.aliases | CASE WHEN a IN acc THEN acc ELSE acc + a END),
    n.merged_on = reduce(acc = coalesce(n.merged_on, []), m IN row.merged_on | CASE WHEN m IN acc THEN acc ELSE acc + m END),
    n.sources = CASE WHEN row.source IN coalesce(n.sources, []) THEN n.sources ELSE coalesce(n.sources, []) + row.source END,
    n.pending = row.pending
