UNWIND $rows AS row
MERGE (d:Document {key: row.key})
SET d += row
