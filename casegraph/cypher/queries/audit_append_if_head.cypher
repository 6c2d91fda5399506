// The one-statement append: the events continue the chain only when its head is still the one the
// writing process last wrote ($prev_seq, $prev_hash). The head's write lock is taken (the SET)
// before the comparison, so no other append can move the head between the comparison and the
// commit. When another process appended first this writes no event and returns no row; the writer
// then takes the head_lock-and-read path. The unique constraint on AuditEvent.seq backs both up.
MATCH (h:AuditHead {id: 'audit'})
SET h.locked_at = datetime()
WITH h
WHERE h.seq = $prev_seq AND h.hash = $prev_hash
UNWIND $events AS e
CREATE (a:AuditEvent)
SET a = e
WITH h, count(a) AS written
SET h.seq = $seq, h.hash = $hash
RETURN written
