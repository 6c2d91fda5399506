// The alerts of a user (its own and its agency's), newest first, each rendered as the caller's agency
// $agency may see its document NOW ($any_user: every user's of the agency, for the stream's poller): the document and its cases when visible; otherwise only the
// holding agency and its case count (hit-only), never the document's content.
MATCH (a:Alert {agency: $agency})
WHERE ($any_user OR a.user IS NULL OR a.user = $user)
  AND ($unread IS NULL OR $unread = (NOT $user IN a.read_by))
  AND ($since IS NULL OR a.at > datetime($since))
  AND ($entity IS NULL OR a.entity = $entity)
  AND ($ids IS NULL OR a.id IN $ids)
WITH a ORDER BY a.at DESC, a.id SKIP $skip LIMIT $limit
OPTIONAL MATCH (d:Document {key: a.document})
WITH a, d, CASE WHEN d IS NULL THEN false ELSE
  (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
  END AS visible
CALL (d) {
  OPTIONAL MATCH (d)-[:OF_CASE]->(c:Case)
  RETURN collect(DISTINCT c {.key, .number, .agency, .kind}) AS cases
}
OPTIONAL MATCH (w:Watch {id: a.watch})
RETURN a.id AS id, a.entity AS entity, a.label AS type, a.trigger AS trigger, a.events AS events,
       toString(a.at) AS at, $user IN a.read_by AS read, a.own_cases AS own_cases,
       a.user IS NULL AS for_agency, a.user AS recipient, a.watch AS watch, coalesce(w.parent, w.id) AS watch_root,
       visible,
       CASE WHEN visible THEN d {.key, .agency, .filename, .kind, .sharing} END AS document,
       CASE WHEN visible THEN cases END AS cases,
       CASE WHEN NOT visible AND d IS NOT NULL THEN [{agency: d.agency, cases: size(cases)}] END AS holders
