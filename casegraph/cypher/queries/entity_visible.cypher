// An entity as the caller's agency $agency sees it: only what its visible source documents state.
// Invisible, non-sealed sources are summarised per holding agency (hit/no-hit); sealed ones not at all.
MATCH (n:{label} {key: $key})
OPTIONAL MATCH (d:Document) WHERE d.key IN coalesce(n.sources, [])
WITH n, d, CASE WHEN d IS NULL THEN false ELSE
  (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
  END AS visible
WITH n, collect(CASE WHEN visible THEN d END) AS seen,
     collect(CASE WHEN NOT visible AND d.sharing IN ['shared', 'restricted'] THEN d END) AS hidden
CALL (seen) {
  UNWIND seen AS d
  OPTIONAL MATCH (d)-[:OF_CASE]->(c:Case)
  RETURN collect(DISTINCT d {.key, .agency, .filename, .kind}) AS documents,
         collect(DISTINCT c {.key, .number, .agency, .kind}) AS cases
}
// One expansion from n, not (n)-[m]->(d) per seen document: that Expand(Into) cost ~270 db hits
// per document on an account that 320 ledgers name (70k of the statement's 74k).
CALL (n, seen) {
  OPTIONAL MATCH (n)-[m:MENTIONED_IN]->(d)
  WHERE d IN seen
  RETURN collect(DISTINCT m.text) AS texts
}
// An account's holders and a phone's users, as far as a visible document says so; each by the name that
// document writes (never by the ID number it also mentions), with the documents that say it.
CALL (n, seen) {
  OPTIONAL MATCH (h)-[r:HOLDS|USES]->(n)
  WITH h, r, [s IN coalesce(r.sources, []) WHERE any(d IN seen WHERE d.key = s)] AS vouched
  WHERE h IS NOT NULL AND size(vouched) > 0
  OPTIONAL MATCH (h)-[m:MENTIONED_IN]->(d:Document) WHERE d.key IN vouched AND NOT m.text =~ '[0-9Xx ]+'
  WITH h, r, vouched, collect(DISTINCT m.text) AS written
  ORDER BY h.key
  RETURN collect({key: h.key, label: labels(h)[0], relation: type(r),
                  name: CASE WHEN h.name IN written THEN h.name ELSE head(written) END, sources: vouched}) AS parties
}
CALL (hidden) {
  UNWIND hidden AS h
  OPTIONAL MATCH (h)-[:OF_CASE]->(hc:Case)
  WITH h.agency AS agency, count(DISTINCT hc) AS cases
  ORDER BY agency
  RETURN collect({agency: agency, cases: cases}) AS holders
}
// Only properties a visible document can vouch for: identifiers that make the key, and names
// that a visible document writes (a name known only from a hidden document stays hidden).
RETURN n {.key, .ric, .uscc, .number, .bank, .is_card, .luhn_ok, .gender, .birth_date, .regions,
          .kind, .text, .type, .agency,
          name: CASE WHEN n.name IN texts OR n.key STARTS WITH 'name:' + n.name THEN n.name END,
          aliases: [a IN coalesce(n.aliases, []) WHERE a IN texts],
          sources: [x IN documents | x.key]} AS entity,
       size(documents) > 0 AS visible, documents, cases, holders, parties
