// The watches on either of two nodes ($a, $b) of a candidate, a rejection or a split between them, each
// with the documents of the other node: the evidence its alert shows in full or hit-only. With
// $foreign_only, only the watches for which those documents include one of another agency.
MATCH (w:Watch)
WHERE w.target IN [$a, $b] AND $a <> $b
OPTIONAL MATCH (other:{label} {key: CASE WHEN w.target = $a THEN $b ELSE $a END})
WITH w, w.target AS target, coalesce(other.sources, []) AS news
WHERE NOT $foreign_only OR EXISTS { MATCH (d:Document) WHERE d.key IN news AND d.agency <> w.agency }
RETURN w.id AS watch, w.agency AS agency, w.user AS user, target, news
