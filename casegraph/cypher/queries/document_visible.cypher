// A document as the caller's agency $agency may see it: text, pages, case, and every mention in it
// with its entity; nothing when the document is not visible to that agency.
MATCH (d:Document {key: $key})
WHERE (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
CALL (d) {
  OPTIONAL MATCH (d)-[:OF_CASE]->(c:Case)
  RETURN head(collect(c {.key, .number, .agency, .kind})) AS case
}
CALL (d) {
  OPTIONAL MATCH (n)-[m:MENTIONED_IN]->(d)
  WITH n, m ORDER BY m.start
  RETURN collect(CASE WHEN n IS NOT NULL THEN {key: n.key, label: labels(n)[0], start: m.start, end: m.end,
                                               page: m.page, text: m.text} END) AS mentions
}
// A ledger's facts are its transfers, quoted by row: the accounts it names, and their transfers it states.
CALL (d) {
  OPTIONAL MATCH (a:Account)-[:MENTIONED_IN]->(d)
  OPTIONAL MATCH (a)-[t:TRANSFERRED]->(b:Account)
  WHERE d.key IN t.sources
  WITH DISTINCT a, t, b WHERE t IS NOT NULL
  ORDER BY t.at, t.tx_id
  LIMIT $max_rows
  RETURN collect({from: a.key, to: b.key, amount: t.amount, at: toString(t.at), tx_id: t.tx_id}) AS transfers
}
RETURN d {.key, .agency, .filename, .kind, .sharing, .text, .page_starts} AS document, case, mentions, transfers
