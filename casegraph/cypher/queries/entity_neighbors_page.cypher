// One page of the links around each node of $frontier (element ids of nodes the caller already
// sees), over facts the caller's agency $agency may see, for the workbench's chart and its API.
// Bounded around hubs (an account with 50,000 transfers): visibility is decided per relationship
// while scanning (no paths, no collected subgraph); a link is one row per neighbour, direction and
// role, and its row key `k` (the neighbour's element id, the direction, the role) gives each relation
// type a stable order that a cursor continues from: with $after only rows past it are considered,
// so page 20 costs no more than page 1 (no offset is skipped over, nothing before the cursor is
// grouped or sorted). `total` counts the visible rows of each type from the cursor on.
// Only the page's rows are then grouped into facts (their count, latest time, stating documents):
// a handful of links each, reached from the page's neighbour (Expand(Into) picks the small side).
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
  WHERE m <> n
    AND ($rel_types IS NULL OR type(r) IN $rel_types)
    AND ($since IS NULL OR r.at IS NULL OR left(toString(r.at), 10) >= $since)
    AND ($until IS NULL OR r.at IS NULL OR left(toString(r.at), 10) <= $until)
  WITH n, r, m, elementId(m) + CASE WHEN startNode(r) = n THEN '>' ELSE '<' END + coalesce(r.role, '') AS k
  WHERE ($after IS NULL OR k > $after)
  // A link is visible when any of its relationships is stated by a visible document. Grouped first,
  // so that what holds for the neighbour (its label, its own sources) is read once per link, not
  // once per relationship: 33,029 transfers of one account are 4,791 links.
  WITH type(r) AS type, k, m, startNode(r) = n AS out, r.role AS role,
       count(CASE WHEN any(s IN CASE WHEN r:MENTIONED_IN THEN [endNode(r).key]
                                     WHEN r:POSSIBLY_SAME_AS THEN coalesce(startNode(r).sources, []) + coalesce(endNode(r).sources, [])
                                     ELSE coalesce(r.sources, []) END WHERE s IN vis) THEN 1 END) AS stated
  WHERE stated > 0 AND NOT m:Agency
    AND ($types IS NULL OR any(l IN labels(m) WHERE l IN $types))
    AND ((m:Document AND m.key IN vis) OR any(s IN coalesce(m.sources, []) WHERE s IN vis))
  WITH type, k, m, out, role
  ORDER BY type, k
  // parallel lists of node references and scalars: lighter to gather than one map per row
  WITH type, count(*) AS total, collect(k)[..$limit] AS ks, collect(m)[..$limit] AS ms,
       collect(out)[..$limit] AS outs, collect(role)[..$limit] AS roles
  RETURN type, total, ks, ms, outs, roles
}
UNWIND range(0, size(ks) - 1) AS i
CALL (vis, n, type, ks, ms, outs, roles, i) {
  WITH ms[i] AS x, outs[i] AS out, roles[i] AS role
  MATCH (n)-[r]-(x)
  WHERE type(r) = type AND (startNode(r) = n) = out AND coalesce(r.role, '') = coalesce(role, '')
    AND ($since IS NULL OR r.at IS NULL OR left(toString(r.at), 10) >= $since)
    AND ($until IS NULL OR r.at IS NULL OR left(toString(r.at), 10) <= $until)
  WITH x, out, role, r, CASE WHEN r:MENTIONED_IN THEN [endNode(r).key]
                              WHEN r:POSSIBLY_SAME_AS THEN coalesce(startNode(r).sources, []) + coalesce(endNode(r).sources, [])
                              ELSE coalesce(r.sources, []) END AS stated_by
  WITH x, out, role, r, [s IN stated_by WHERE s IN vis] AS seen WHERE seen <> []
  UNWIND seen AS s
  RETURN x, out, role, count(DISTINCT r) AS facts, max(left(toString(r.at), 19)) AS latest,
         collect(DISTINCT s) AS sources
}
WITH n, type, total, ks, i, x, out, role, facts, latest, sources,
     CASE WHEN x:Document OR x:Case THEN [] ELSE [(x)-[mr:MENTIONED_IN]->(md:Document) WHERE md.key IN vis | mr.text] END
       AS written
RETURN elementId(n) AS origin, type, total, {
    eid: elementId(x), key: x.key, label: labels(x)[0], out: out, role: role, facts: facts, latest: latest,
    sources: sources, k: ks[i],
    name: CASE
      WHEN x:Document THEN x.filename
      WHEN x:Case THEN x.number
      // a name as a visible document writes it, never a property a hidden one may have set; the
      // mention of an ID number (or a USCC) is not a name: the node's name first, then any other
      // written form, the identifier only for want of one
      // (the written forms are read once: an account that 60 ledgers name was read three times)
      ELSE coalesce(head([t IN written WHERE t = x.name]),
                    head([t IN written WHERE NOT t IN [v IN [x.ric, x.uscc, x.number] WHERE v IS NOT NULL]]),
                    head(written))
    END} AS row
