// The same for relationships: a fact moved by a merge keeps `sources: []` when it had none (a mention),
// as merge_node_into.cypher leaves it; the importer's CSV cannot carry that either.
MATCH ()-[r]->()
WHERE r.bulk_empty IS NOT NULL
WITH r, r.bulk_empty AS names
REMOVE r.bulk_empty
WITH r, names
UNWIND names AS name
SET r[name] = []
