// One page of the links around each node of $frontier (element ids of nodes the caller already
// sees), over facts the caller's agency $agency may see, for the workbench's chart and its API.
// Bounded around hubs: visibility is decided per relationship while scanning (no paths, no
// collected subgraph), links to one neighbour of one type are one row (their fact count and latest
// time), and each relation type keeps its own stable order (most facts first, then the latest,
// then the neighbour's key) from which only $skip..$skip+$limit rows are named. `counts` is every
// visible row of each type, so the page can say how many more there are.
// Filters: $rel_types, $types (the neighbour's label), $since/$until (ISO dates; they keep the
// links that carry a time inside the range and the links that carry none).
// A mention's source is its document; a 疑似同一 link (no sources of its own) is as visible as its ends.
MATCH (d:Document)
WHERE (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
WITH collect(d.key) AS vis
UNWIND $frontier AS eid
MATCH (n) WHERE elementId(n) = eid
CALL (vis, n) {
  MATCH (n)-[r]-(m)
  WHERE m <> n AND NOT m:Agency
    AND ($rel_types IS NULL OR type(r) IN $rel_types)
    AND ($types IS NULL OR any(l IN labels(m) WHERE l IN $types))
    AND ($since IS NULL OR r.at IS NULL OR left(toString(r.at), 10) >= $since)
    AND ($until IS NULL OR r.at IS NULL OR left(toString(r.at), 10) <= $until)
  WITH n, r, m, CASE WHEN r:MENTIONED_IN THEN [endNode(r).key]
                     WHEN r:POSSIBLY_SAME_AS THEN coalesce(startNode(r).sources, []) + coalesce(endNode(r).sources, [])
                     ELSE coalesce(r.sources, []) END AS stated_by
  WITH n, r, m, [s IN stated_by WHERE s IN vis] AS seen
  WHERE seen <> [] AND ((m:Document AND m.key IN vis) OR any(s IN coalesce(m.sources, []) WHERE s IN vis))
  UNWIND seen AS s
  WITH type(r) AS type, startNode(r) = n AS out, m, r.role AS role, count(DISTINCT r) AS facts,
       max(left(toString(r.at), 19)) AS latest, collect(DISTINCT s) AS sources
  ORDER BY type, facts DESC, latest DESC, m.key, role
  WITH type, collect({m: m, out: out, role: role, facts: facts, latest: latest, sources: sources}) AS rows
  RETURN type, size(rows) AS total, rows[$skip..$skip + $limit] AS page
}
WITH vis, n, type, total, page
UNWIND (CASE WHEN page = [] THEN [null] ELSE page END) AS row
WITH vis, n, type, total, row, row.m AS x
RETURN elementId(n) AS origin, type, total,
  CASE WHEN row IS NULL THEN null ELSE {
    eid: elementId(x), key: x.key, label: labels(x)[0], out: row.out, role: row.role, facts: row.facts,
    latest: row.latest,
    sources: row.sources,
    name: CASE
      WHEN x:Document THEN x.filename
      WHEN x:Case THEN x.number
      // a name as a visible document writes it, never a property a hidden one may have set; the
      // mention of an ID number (or a USCC) is not a name: the node's name first, then any other
      // written form, the identifier only for want of one
      ELSE coalesce(
        head([(x)-[mr:MENTIONED_IN]->(md:Document) WHERE md.key IN vis AND mr.text = x.name | mr.text]),
        head([(x)-[mr:MENTIONED_IN]->(md:Document)
              WHERE md.key IN vis AND NOT mr.text IN [v IN [x.ric, x.uscc, x.number] WHERE v IS NOT NULL] | mr.text]),
        head([(x)-[mr:MENTIONED_IN]->(md:Document) WHERE md.key IN vis | mr.text]))
    END} END AS row
