// Empty lists the importer's CSV cannot carry (an empty field is no property): the load marks such
// nodes with `bulk_empty`, the names of their properties that are empty lists, and sets them here.
MATCH (n)
WHERE n.bulk_empty IS NOT NULL
WITH n, n.bulk_empty AS names
REMOVE n.bulk_empty
WITH n, names
UNWIND names AS name
SET n[name] = []
