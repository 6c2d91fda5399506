// Merge node `from` into node `into` (same label): its facts move over (parallel facts join, their
// sources unite), its properties and provenance are kept, and its key becomes a redirect.
MATCH (s:{label} {key: $into})
MATCH (m:{label} {key: $from})
WHERE s <> m
CALL (s, m) {
  MATCH (m)-[r]->(x)
  WHERE x <> s AND x <> m
  WITH s, r, x, type(r) AS t, properties(r) AS props
  MERGE (s)-[n:$(t) {fid: coalesce(props.fid, '')}]->(x)
  WITH n, r, props, coalesce(n.sources, []) AS before
  SET n += props
  SET n.sources = reduce(acc = before, src IN coalesce(props.sources, []) | CASE WHEN src IN acc THEN acc ELSE acc + src END)
  DELETE r
}
CALL (s, m) {
  MATCH (x)-[r]->(m)
  WHERE x <> s AND x <> m
  WITH s, r, x, type(r) AS t, properties(r) AS props
  MERGE (x)-[n:$(t) {fid: coalesce(props.fid, '')}]->(s)
  WITH n, r, props, coalesce(n.sources, []) AS before
  SET n += props
  SET n.sources = reduce(acc = before, src IN coalesce(props.sources, []) | CASE WHEN src IN acc THEN acc ELSE acc + src END)
  DELETE r
}
WITH s, m, CASE WHEN coalesce(s.anonymised, false) AND NOT coalesce(m.anonymised, false) THEN m.name ELSE s.name END AS name
SET s.name = coalesce(name, s.name, m.name),
    s.anonymised = coalesce(s.anonymised, false) AND coalesce(m.anonymised, false),
    s.ric = coalesce(s.ric, m.ric), s.uscc = coalesce(s.uscc, m.uscc),
    s.birth_date = coalesce(s.birth_date, m.birth_date), s.birth_year = coalesce(s.birth_year, m.birth_year),
    s.gender = coalesce(s.gender, m.gender),
    s.aliases = reduce(acc = coalesce(s.aliases, []), a IN coalesce(m.aliases, []) + [m.name] | CASE WHEN a IS NULL OR a IN acc THEN acc ELSE acc + a END),
    s.regions = reduce(acc = coalesce(s.regions, []), a IN coalesce(m.regions, []) | CASE WHEN a IN acc THEN acc ELSE acc + a END),
    s.sources = reduce(acc = coalesce(s.sources, []), a IN coalesce(m.sources, []) | CASE WHEN a IN acc THEN acc ELSE acc + a END),
    s.merged_on = reduce(acc = coalesce(s.merged_on, []), a IN coalesce(m.merged_on, []) + $reasons | CASE WHEN a IN acc THEN acc ELSE acc + a END),
    s.merged_keys = coalesce(s.merged_keys, []) + [m.key] + coalesce(m.merged_keys, []),
    s.merge_log = coalesce(s.merge_log, []) + [m.key + ' <- ' + reduce(t = '', r IN $reasons | t + r + ' ')] + coalesce(m.merge_log, [])
WITH s, m
CALL (s, m) {
  MATCH (a:KeyAlias {target: m.key})
  SET a.target = s.key
}
MERGE (alias:KeyAlias {key: m.key})
SET alias.target = s.key, alias.label = $label_name
DETACH DELETE m
RETURN s.key AS key
