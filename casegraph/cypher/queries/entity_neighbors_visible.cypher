// What lies within {depth} hops of an entity over facts the caller's agency $agency may see:
// every relationship on the way has a visible source, every node on the way is visible. A mention's
// source is the document it points at (the writer stores no `sources` on the mentions it creates).
// A 疑似同一 candidate link (POSSIBLY_SAME_AS, no sources of its own) is as visible as its two ends.
MATCH (d:Document)
WHERE (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
WITH collect(d.key) AS vis
MATCH (n:{label} {key: $key})
WHERE any(s IN coalesce(n.sources, []) WHERE s IN vis)
MATCH path = (n)-[rels*1..{depth}]-(m)
WHERE m <> n AND NOT m:Agency
  AND all(r IN rels WHERE any(s IN CASE WHEN r:MENTIONED_IN THEN [endNode(r).key]
                                        WHEN r:POSSIBLY_SAME_AS THEN coalesce(startNode(r).sources, [])
                                        ELSE coalesce(r.sources, []) END
                              WHERE s IN vis))
  AND all(x IN nodes(path) WHERE (x:Document AND x.key IN vis) OR any(s IN coalesce(x.sources, []) WHERE s IN vis))
WITH vis, n, m, min(length(path)) AS distance
ORDER BY distance, m.key
LIMIT $limit
WITH vis, n, collect({node: m, distance: distance}) AS found
WITH vis, n, found, [n] + [f IN found | f.node] AS nodes
CALL (vis, nodes) {
  UNWIND nodes AS a
  MATCH (a)-[r]->(b)
  WITH a, r, b, CASE WHEN r:MENTIONED_IN THEN [b.key]
                     WHEN r:POSSIBLY_SAME_AS THEN coalesce(a.sources, []) + coalesce(b.sources, [])
                     ELSE coalesce(r.sources, []) END AS stated_by
  WHERE b IN nodes AND any(s IN stated_by WHERE s IN vis)
  RETURN collect(DISTINCT {type: type(r), from: a.key, to: b.key, role: r.role,
                           sources: [s IN stated_by WHERE s IN vis]}) AS edges
}
CALL (vis, found) {
  UNWIND found AS f
  WITH vis, f, f.node AS x
  RETURN collect({key: x.key, label: labels(x)[0], distance: f.distance,
                  name: CASE
                    WHEN x:Document THEN x.filename
                    WHEN x:Case THEN x.number
                    // a name as a visible document writes it, never a property a hidden one may have set;
                    // the mention of a person's ID number (or a company's USCC) is not a name: the
                    // node's name first, then any other written form, the identifier only for want of one
                    ELSE coalesce(
                      head([(x)-[mr:MENTIONED_IN]->(md:Document) WHERE md.key IN vis AND mr.text = x.name | mr.text]),
                      head([(x)-[mr:MENTIONED_IN]->(md:Document)
                            WHERE md.key IN vis AND NOT mr.text IN [v IN [x.ric, x.uscc, x.number] WHERE v IS NOT NULL]
                            | mr.text]),
                      head([(x)-[mr:MENTIONED_IN]->(md:Document) WHERE md.key IN vis | mr.text]))
                  END}) AS neighbors
}
RETURN n.key AS key, neighbors, edges
