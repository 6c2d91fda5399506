// Inside a merge of node $from into node $into (both present, else no merge happens): the watches on
// either now watch $into (the merged-away key only redirects), and those to tell come back, each with
// what is news to it (the documents of the other node), only when a document of another agency is
// among them. One indexed statement per merge: with no watch on either node it finds nothing.
MATCH (w:Watch)
WHERE w.target IN [$into, $from] AND $into <> $from
  AND EXISTS { MATCH (:{label} {key: $into}) } AND EXISTS { MATCH (:{label} {key: $from}) }
OPTIONAL MATCH (other:{label} {key: CASE WHEN w.target = $into THEN $from ELSE $into END})
WITH w, w.target AS target, coalesce(other.sources, []) AS news
SET w.target = $into,
    w.merged_from = CASE WHEN target = $from THEN coalesce(w.merged_from, []) + $from ELSE w.merged_from END
WITH w, target, news
WHERE EXISTS { MATCH (d:Document) WHERE d.key IN news AND d.agency <> w.agency }
RETURN w.id AS watch, w.agency AS agency, w.user AS user, target, news
