// Upsert entity nodes of one label; list properties are unions, `sources` lists the stating documents.
UNWIND $rows AS row
MERGE (n:{label} {key: row.key})
SET n += row.props,
    n.regions = reduce(acc = coalesce(n.regions, []), r IN row.regions | CASE WHEN r IN acc THEN acc ELSE acc + r END),
    n.aliases = reduce(acc = coalesce(n.aliases, []), a IN row.aliases | CASE WHEN a IN acc THEN acc ELSE acc + a END),
    n.sources = CASE WHEN row.source IN coalesce(n.sources, []) THEN n.sources ELSE coalesce(n.sources, []) + row.source END
