// Taking the head's write lock serialises appends across processes until this transaction ends.
MERGE (h:AuditHead {id: 'audit'})
ON CREATE SET h.seq = 0, h.hash = $genesis
SET h.locked_at = datetime()
RETURN h.seq AS seq, h.hash AS hash
