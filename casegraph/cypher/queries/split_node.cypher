// Undo a merge: the mentions and facts of the chosen documents move to a new node of their own; a fact
// also stated by other documents is copied, each copy keeping its own sources.
OPTIONAL MATCH (old:KeyAlias {key: $new_key})
DELETE old
WITH count(*) AS _
MATCH (s:{label} {key: $key})
CREATE (n:{label} {key: $new_key})
SET n.name = s.name, n.gender = s.gender, n.birth_date = s.birth_date, n.birth_year = s.birth_year,
    n.anonymised = s.anonymised, n.aliases = s.aliases, n.regions = s.regions,
    n.sources = [x IN coalesce(s.sources, []) WHERE x IN $documents], n.split_from = s.key,
    n.merged_on = ['split:' + $decision]
SET s.sources = [x IN coalesce(s.sources, []) WHERE NOT x IN $documents]
WITH s, n
CALL (s, n) {
  MATCH (s)-[r:MENTIONED_IN]->(d:Document)
  WHERE d.key IN $documents
  CREATE (n)-[c:MENTIONED_IN]->(d)
  SET c = properties(r)
  DELETE r
}
CALL (s, n) {
  MATCH (s)-[r]->(x)
  WHERE NOT x:Document AND any(src IN coalesce(r.sources, []) WHERE src IN $documents)
  WITH n, r, x, type(r) AS t, properties(r) AS props
  CREATE (n)-[c:$(t)]->(x)
  SET c = props, c.sources = [src IN props.sources WHERE src IN $documents]
  WITH r, [src IN props.sources WHERE NOT src IN $documents] AS left
  FOREACH (_ IN CASE WHEN size(left) = 0 THEN [1] ELSE [] END | DELETE r)
  FOREACH (_ IN CASE WHEN size(left) > 0 THEN [1] ELSE [] END | SET r.sources = left)
}
CALL (s, n) {
  MATCH (x)-[r]->(s)
  WHERE NOT x:Document AND NOT type(r) = 'POSSIBLY_SAME_AS' AND any(src IN coalesce(r.sources, []) WHERE src IN $documents)
  WITH n, r, x, type(r) AS t, properties(r) AS props
  CREATE (x)-[c:$(t)]->(n)
  SET c = props, c.sources = [src IN props.sources WHERE src IN $documents]
  WITH r, [src IN props.sources WHERE NOT src IN $documents] AS left
  FOREACH (_ IN CASE WHEN size(left) = 0 THEN [1] ELSE [] END | DELETE r)
  FOREACH (_ IN CASE WHEN size(left) > 0 THEN [1] ELSE [] END | SET r.sources = left)
}
// Keys of these documents that were merged into the node now lead to the new one.
CALL (s, n) {
  MATCH (d:Document)
  WHERE d.key IN $documents AND d.path_id IS NOT NULL
  WITH collect('mention:' + d.path_id + ':') AS prefixes
  MATCH (a:KeyAlias {target: s.key})
  WHERE any(prefix IN prefixes WHERE a.key STARTS WITH prefix)
  SET a.target = n.key
}
// The two must not be merged again by the linker.
MERGE (s)-[p:POSSIBLY_SAME_AS {fid: ''}]->(n)
SET p.status = 'rejected', p.decision = $decision, p.decided_at = datetime()
RETURN n.key AS key, size(s.sources) AS left
