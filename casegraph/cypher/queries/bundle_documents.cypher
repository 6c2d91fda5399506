// The visible documents among the given keys, with their text and dates for quoting.
UNWIND $keys AS k
MATCH (d:Document {key: k})
WHERE (d.agency = $agency OR d.sharing = 'shared' OR (d.sharing = 'restricted' AND $agency IN coalesce(d.shared_with, [])) OR EXISTS { MATCH (g:AccessGrant)-[:GRANTS]->(d) WHERE g.agency = $agency AND g.expires_at > datetime() })
RETURN d {.key, .sha256, .agency, .filename, .kind, .case_number, .ingested_at, .text, .page_starts,
          .date_starts, .date_ends, .date_values} AS document
