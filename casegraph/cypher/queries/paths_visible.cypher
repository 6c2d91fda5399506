// The shortest paths between two entities over facts the caller's agency $agency may see (document
// mentions and ring membership are not facts between entities): every relationship has a visible
// source (a 疑似同一 candidate link has none: it counts as its two ends, which must be visible) and
// every node on the way is visible.
MATCH (d:Document)
WHERE (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
WITH collect(d.key) AS vis
MATCH (a:{from_label} {key: $from}), (b:{to_label} {key: $to})
MATCH p = allShortestPaths((a)-[:ROLE_IN|LEGAL_REP_OF|SHAREHOLDER_OF|CONTROLS|EMPLOYED_BY|HOLDS|TRANSFERRED|USES|LOCATED_AT|POSSIBLY_SAME_AS*..{max_hops}]-(b))
WHERE all(r IN relationships(p) WHERE r:POSSIBLY_SAME_AS OR any(s IN coalesce(r.sources, []) WHERE s IN vis))
  AND all(x IN nodes(p) WHERE any(s IN coalesce(x.sources, []) WHERE s IN vis))
WITH vis, p LIMIT $limit
RETURN [x IN nodes(p) | {key: x.key, label: labels(x)[0], distance: 0,
                        name: CASE WHEN x:Case THEN x.number
                                   ELSE head([(x)-[mr:MENTIONED_IN]->(md:Document) WHERE md.key IN vis | mr.text]) END}]
         AS nodes,
       [r IN relationships(p) | {type: type(r), from: startNode(r).key, to: endNode(r).key, role: r.role,
                                 sources: [s IN coalesce(r.sources, []) + CASE WHEN r:POSSIBLY_SAME_AS
                                             THEN coalesce(startNode(r).sources, []) + coalesce(endNode(r).sources, [])
                                             ELSE [] END WHERE s IN vis]}] AS edges
