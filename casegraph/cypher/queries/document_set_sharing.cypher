// Only the owner agency changes a document's sharing ($owner is null for the local admin).
MATCH (d:Document {key: $key})
WHERE $owner IS NULL OR d.agency = $owner
SET d.sharing = $level, d.shared_with = $shared_with
RETURN d {.key, .agency, .sharing, .shared_with} AS document
