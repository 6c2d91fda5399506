// Earlier versions of documents: same agency and path, other bytes.
UNWIND $rows AS row
MATCH (d:Document {agency: row.agency, path: row.path})
WHERE d.key <> row.key
RETURN row.key AS key, collect(d.key) AS previous
