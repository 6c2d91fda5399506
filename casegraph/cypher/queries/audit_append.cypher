// Audit events are only ever CREATEd: no statement in this project sets or deletes one.
UNWIND $events AS e
CREATE (a:AuditEvent)
SET a = e
WITH count(a) AS written
MATCH (h:AuditHead {id: 'audit'})
SET h.seq = $seq, h.hash = $hash
RETURN written
