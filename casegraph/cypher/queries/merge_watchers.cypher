// Before node $from merges into $into: the watches on either, each with what is news to it (the
// documents of the other node), kept only when a document of another agency is among them.
MATCH (w:Watch)
WHERE w.target IN [$into, $from]
WITH w, CASE WHEN w.target = $into THEN $from_sources ELSE $into_sources END AS news
WHERE EXISTS { MATCH (d:Document) WHERE d.key IN news AND d.agency <> w.agency }
RETURN w.id AS watch, w.agency AS agency, w.user AS user, w.target AS target, news
