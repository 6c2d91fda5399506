// The alerts of a user (its own and its agency's), newest first, each rendered as the caller's agency
// $agency may see its evidence NOW ($any_user: every user's of the agency, for the stream's poller).
// An alert's evidence is its documents: the new document, or the sources that put a member in a ring
// or that the other node of a merge brings. Visible evidence: the alert in full. Otherwise only the
// holding agencies and their case counts (hit-only), never content. Evidence that is all sealed from
// the caller (or gone) gives no alert at all: sealed is "owner only, not even a hit", as in lookups.
MATCH (a:Alert {agency: $agency})
WHERE ($any_user OR a.user IS NULL OR a.user = $user)
  AND ($unread IS NULL OR $unread = (NOT $user IN a.read_by))
  AND ($since IS NULL OR a.at > datetime($since))
  AND ($entity IS NULL OR a.entity = $entity)
  AND ($ids IS NULL OR a.id IN $ids)
WITH a, coalesce(a.sources, CASE WHEN a.document IS NULL THEN [] ELSE [a.document] END) AS evidence
CALL (a, evidence) {
  OPTIONAL MATCH (d:Document) WHERE d.key IN evidence
  WITH d, d IS NOT NULL AND (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() }) AS seen
  RETURN any(x IN collect(seen) WHERE x) AS visible,
         collect(CASE WHEN d IS NOT NULL AND NOT seen AND d.sharing <> 'sealed' THEN d END) AS hidden
}
WITH a, visible, hidden WHERE visible OR size(hidden) > 0
WITH a, visible, hidden ORDER BY a.at DESC, a.id SKIP $skip LIMIT $limit
OPTIONAL MATCH (d:Document {key: a.document})
CALL (d) {
  OPTIONAL MATCH (d)-[:OF_CASE]->(c:Case)
  RETURN collect(DISTINCT c {.key, .number, .agency, .kind}) AS cases
}
CALL (hidden) {
  UNWIND hidden AS h
  OPTIONAL MATCH (h)-[:OF_CASE]->(c:Case)
  WITH h.agency AS agency, count(DISTINCT c) AS cases ORDER BY agency
  RETURN collect({agency: agency, cases: cases}) AS holders
}
// A ring's members as the caller may see them: only those are named among the added and removed.
CALL (a) {
  OPTIONAL MATCH (:Ring {id: a.ring})-[h:HAS_MEMBER]->(m)
  WHERE EXISTS { MATCH (s:Document) WHERE s.key IN coalesce(h.sources, []) AND (s.agency = $agency OR s.sharing = 'shared' OR (s.sharing = 'restricted' AND $agency IN coalesce(s.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(s) WHERE g.agency = $agency AND g.expires_at > datetime() }) }
  RETURN collect(m.key) AS ring_seen
}
CALL (a) {
  OPTIONAL MATCH (:Ring {id: a.previous})-[h:HAS_MEMBER]->(m)
  WHERE EXISTS { MATCH (s:Document) WHERE s.key IN coalesce(h.sources, []) AND (s.agency = $agency OR s.sharing = 'shared' OR (s.sharing = 'restricted' AND $agency IN coalesce(s.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(s) WHERE g.agency = $agency AND g.expires_at > datetime() }) }
  RETURN collect(m.key) AS previous_seen
}
OPTIONAL MATCH (w:Watch {id: a.watch})
RETURN a.id AS id, a.entity AS entity, a.label AS type, a.trigger AS trigger, a.events AS events,
       toString(a.at) AS at, $user IN a.read_by AS read, a.own_cases AS own_cases,
       a.user IS NULL AS for_agency, a.user AS recipient, a.watch AS watch, coalesce(w.parent, w.id) AS watch_root,
       visible,
       CASE WHEN visible AND d IS NOT NULL THEN d {.key, .agency, .filename, .kind, .sharing} END AS document,
       CASE WHEN visible AND d IS NOT NULL THEN cases END AS cases,
       CASE WHEN visible AND a.ring IS NOT NULL
            THEN {id: a.ring, lineage: a.lineage, previous: a.previous, visible_members: size(ring_seen),
                  added: [k IN coalesce(a.added, []) WHERE k IN ring_seen],
                  removed: [k IN coalesce(a.removed, []) WHERE k IN previous_seen]} END AS ring,
       CASE WHEN visible THEN a.other END AS other,
       CASE WHEN NOT visible THEN holders END AS holders
